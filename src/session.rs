use scalekit_core::models::*;

/// `client.session`.
#[scalekit_derive::sub_client(core = scalekit_core::SessionClient)]
impl SessionClient {
    /// `GET /api/v1/sessions/{sessionId}`: one session, with its device and authenticated organizations and clients.
    fn get_session(session_id: String) -> SessionDetails;
    /// `GET /api/v1/users/{userId}/sessions`: a page of a user's sessions, optionally filtered by status and time.
    fn get_user_sessions(user_id: String, options: Option<UserSessionsOptions>) -> UserSessionDetails;
    /// `POST /api/v1/sessions/{sessionId}/revoke`: ends one session.
    fn revoke_session(session_id: String) -> RevokeSessionResponse;
    /// `POST /api/v1/users/{userId}/sessions/revoke`: ends every session of a user.
    fn revoke_all_user_sessions(user_id: String) -> RevokeAllUserSessionsResponse;
}
