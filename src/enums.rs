//! Enums the official SDK exports at its top level, as string-valued objects
//! under the official names: code that compares a result field with
//! `ObjectType.Organization` keeps working, and results carry the same strings.
//! Here rather than in scalekit-core: napi registers them at load time, which a
//! Rust test binary without Node could not link.

/// OAuth grant types of `/oauth/token`.
#[napi_derive::napi(string_enum = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantType {
    AuthorizationCode,
    RefreshToken,
    ClientCredentials,
}

/// The `object` of an event envelope (`scalekit.v1.events.ObjectType`).
#[napi_derive::napi(string_enum)]
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectType {
    OBJECT_TYPE_UNSPECIFIED,
    Workspace,
    Environment,
    Organization,
    Connection,
    User,
    Role,
    CustomAttributes,
    Directory,
    DirectoryUser,
    DirectoryGroup,
    Session,
    Template,
    Job,
    Domain,
    EmailServer,
    Email,
    AuthRequest,
    SAMLRequest,
    SAMLResponse,
    TokenClaims,
    OIDCReqParams,
    OIDCRespClaims,
    SSOError,
    GenericError,
    RefreshTokens,
    EndSessionRequest,
    LogoutTokenClaims,
    OAuthResponse,
    JSON,
    SKErrors,
    OrgMembership,
    UserProfile,
    IDPInitiatedPayload,
    DeviceDetails,
    Actions,
    InterceptorEvent,
    Permission,
    OrgMembershipEvent,
    UserLoginEvent,
    UserLogoutEvent,
    ConnectedAccount,
}

/// Where an event came from (`scalekit.v1.events.Source`), e.g. an `EventFilter`'s `source`.
#[napi_derive::napi(string_enum)]
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    SOURCE_UNSPECIFIED,
    SCALEKIT,
    DIR_SYNC,
}
