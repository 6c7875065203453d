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

/// `RegionCode`: where an organization's data lives. Inputs also take the official numbers (`US` = 1).
#[napi_derive::napi(string_enum)]
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionCode {
    US,
    EU,
}

/// `TemplateType` of a passwordless email. Inputs also take the official numbers (`SIGNIN` = 1, `SIGNUP` = 2).
#[napi_derive::napi(string_enum)]
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateType {
    SIGNIN,
    SIGNUP,
}

/// `DomainType`. Inputs also take the official numbers (`ALLOWED_EMAIL_DOMAIN` = 1, `ORGANIZATION_DOMAIN` = 2).
#[napi_derive::napi(string_enum)]
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainType {
    ALLOWED_EMAIL_DOMAIN,
    ORGANIZATION_DOMAIN,
}

/// `TimeUnit` of session timeouts. Inputs also take the official numbers (`MINUTES` = 1).
#[napi_derive::napi(string_enum)]
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    MINUTES,
    HOURS,
    DAYS,
}

/// `SessionPolicyType`. Inputs also take the official numbers (`APPLICATION` = 1, `CUSTOM` = 2).
#[napi_derive::napi(string_enum)]
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionPolicyType {
    APPLICATION,
    CUSTOM,
}

/// `MembershipStatus` of a user in an organization, as results carry it.
#[napi_derive::napi(string_enum)]
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipStatus {
    ACTIVE,
    INACTIVE,
    PENDING_INVITE,
    INVITE_EXPIRED,
}
