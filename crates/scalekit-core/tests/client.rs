//! The core client against a real emulator on a loopback socket.

use std::time::{Duration, Instant};

use scalekit_core::models::{
    CreateMembership, CreateUserAndMembershipResponse, CreateUserProfile, CreateUserRequest, ListOrganizationsOptions,
    ListOrganizationsResponse, Role, ScalekitUser,
};
use scalekit_core::{CamelJson, ClientOptions, Config, Error, RequestOptions, ScalekitClient, TransportKind};

static NO_OPTIONS: std::sync::LazyLock<RequestOptions> = std::sync::LazyLock::new(RequestOptions::default);
use scalekit_emulator::{seed_organizations, Emulator, EmulatorConfig};

fn start(config: EmulatorConfig) -> Emulator {
    Emulator::start("127.0.0.1", 0, config).expect("emulator starts")
}

fn client_for(emulator: &Emulator, secret: &str) -> ScalekitClient {
    let config = Config::new(&emulator.url(), "skc_emulator", secret, ClientOptions::default()).unwrap();
    ScalekitClient::new(config).unwrap()
}

fn token_requests(emulator: &Emulator) -> usize {
    emulator.state().requests().iter().filter(|r| r.path == "/oauth/token").count()
}

fn new_user(email: &str) -> CreateUserRequest {
    CreateUserRequest { email: email.into(), ..Default::default() }
}

#[tokio::test]
async fn lists_organizations_page_by_page() {
    let emulator = start(EmulatorConfig::default());
    seed_organizations(emulator.state(), 25).unwrap();
    let client = client_for(&emulator, "emulator_secret");
    let first = client.organization.list_organizations::<ListOrganizationsResponse>(Some(ListOrganizationsOptions { page_size: Some(10.0), ..Default::default() }), &NO_OPTIONS).await.unwrap();
    assert_eq!(first.organizations.len(), 10);
    assert_eq!(first.total_size, 25);
    assert!(first.prev_page_token.is_empty());
    assert!(first.organizations[0].id.starts_with("org_"));
    assert!(first.organizations[0].create_time.ends_with('Z'));
    let second = client
        .organization
        .list_organizations::<ListOrganizationsResponse>(Some(ListOrganizationsOptions { page_size: Some(10.0), page_token: Some(first.next_page_token.clone()), ..Default::default() }), &NO_OPTIONS)
        .await
        .unwrap();
    assert_eq!(second.organizations[0].display_name, "Organization 11");
    assert!(!second.prev_page_token.is_empty());
}

/// The addon's path (wire → camelCase JSON in one pass) gives what the typed models give.
#[tokio::test]
async fn camel_json_results_equal_the_typed_models() {
    let emulator = start(EmulatorConfig::default());
    let org = seed_organizations(emulator.state(), 30).unwrap().remove(0);
    let client = client_for(&emulator, "emulator_secret");
    let options = ListOrganizationsOptions { page_size: Some(30.0), ..Default::default() };
    let typed: ListOrganizationsResponse = client.organization.list_organizations(Some(options.clone()), &NO_OPTIONS).await.unwrap();
    let CamelJson { text: json, .. } = client.organization.list_organizations(Some(options.clone()), &NO_OPTIONS).await.unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&json).unwrap(), serde_json::to_value(&typed).unwrap());
    assert_eq!(typed.organizations.len(), 30);

    let request = CreateUserRequest {
        user_profile: Some(CreateUserProfile { first_name: Some("Zoë".into()), ..Default::default() }),
        membership: Some(CreateMembership { roles: Some(vec![Role { name: Some("admin".into()), ..Default::default() }]), ..Default::default() }),
        ..new_user("camel@example.com")
    };
    let CamelJson { text: json, .. } = client.user.create_user_and_membership(org.clone(), request.clone(), &NO_OPTIONS).await.unwrap();
    let created: serde_json::Value = serde_json::from_str(&json).unwrap();
    let typed = CreateUserAndMembershipResponse { user: serde_json::from_value::<ScalekitUser>(snake_case_keys(&created["user"])).unwrap() };
    assert_eq!(created, serde_json::to_value(&typed).unwrap());
    assert_eq!(created["user"]["userProfile"]["givenName"], "Zoë");
    assert_eq!(created["user"]["memberships"][0]["roles"][0]["name"], "admin");
}

/// camelCase keys back to snake_case (none of these results has map keys of its own).
fn snake_case_keys(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                let snake: String = k.chars().flat_map(|c| if c.is_ascii_uppercase() { vec!['_', c.to_ascii_lowercase()] } else { vec![c] }).collect();
                (snake, snake_case_keys(v))
            })
            .collect(),
        serde_json::Value::Array(items) => items.iter().map(snake_case_keys).collect(),
        other => other.clone(),
    }
}

#[tokio::test]
async fn creates_a_user_with_profile_and_roles() {
    let emulator = start(EmulatorConfig::default());
    let org = seed_organizations(emulator.state(), 1).unwrap().remove(0);
    let client = client_for(&emulator, "emulator_secret");
    let request = CreateUserRequest {
        email: "user@example.com".into(),
        user_profile: Some(CreateUserProfile { first_name: Some("John".into()), last_name: Some("Doe".into()), ..Default::default() }),
        membership: Some(CreateMembership { roles: Some(vec![Role { name: Some("admin".into()), ..Default::default() }]), ..Default::default() }),
        send_invitation_email: Some(false),
        ..Default::default()
    };
    let user = client.user.create_user_and_membership::<CreateUserAndMembershipResponse>(org.clone(), request.clone(), &NO_OPTIONS).await.unwrap().user;
    assert!(user.id.starts_with("usr_"));
    assert_eq!(user.email, "user@example.com");
    let profile = user.user_profile.unwrap();
    assert_eq!((profile.given_name.as_deref(), profile.family_name.as_deref()), (Some("John"), Some("Doe")));
    assert_eq!(user.memberships[0].organization_id, org);
    assert_eq!(user.memberships[0].roles[0].name.as_deref(), Some("admin"));
    assert_eq!(user.memberships[0].membership_status.as_deref(), Some("ACTIVE"));
    let logged = emulator.state().requests();
    assert_eq!(logged.last().unwrap().query.as_deref(), Some("send_invitation_email=false"));
}

#[tokio::test]
async fn cold_burst_of_100_calls_makes_one_token_request() {
    let emulator = start(EmulatorConfig::default());
    let client = client_for(&emulator, "emulator_secret");
    let calls = (0..100).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.organization.list_organizations::<ListOrganizationsResponse>(None, &NO_OPTIONS).await })
    });
    for call in futures_util::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    assert_eq!(token_requests(&emulator), 1);
    assert_eq!(emulator.state().requests().len(), 101);
}

#[tokio::test]
async fn expired_token_is_refreshed_before_use() {
    let emulator = start(EmulatorConfig { token_ttl: Duration::from_secs(1), ..Default::default() });
    let client = client_for(&emulator, "emulator_secret");
    client.organization.list_organizations::<ListOrganizationsResponse>(None, &NO_OPTIONS).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.organization.list_organizations::<ListOrganizationsResponse>(None, &NO_OPTIONS).await.unwrap();
    let log = emulator.state().requests();
    assert_eq!(token_requests(&emulator), 2);
    assert!(log.iter().all(|r| r.status != 401), "no 401 round trip: {log:?}");
}

#[tokio::test]
async fn unauthorized_triggers_one_reauth_and_replay() {
    let emulator = start(EmulatorConfig::default());
    let client = client_for(&emulator, "emulator_secret");
    client.organization.list_organizations::<ListOrganizationsResponse>(None, &NO_OPTIONS).await.unwrap();
    emulator.state().revoke_tokens();
    client.organization.list_organizations::<ListOrganizationsResponse>(None, &NO_OPTIONS).await.unwrap();
    let statuses: Vec<(String, u16)> = emulator.state().requests().into_iter().map(|r| (r.path, r.status)).collect();
    let expected = [("/oauth/token", 200), ("/api/v1/organizations", 200), ("/api/v1/organizations", 401), ("/oauth/token", 200), ("/api/v1/organizations", 200)];
    assert_eq!(statuses, expected.map(|(p, s)| (p.to_owned(), s)));
}

#[tokio::test]
async fn not_found_and_bad_request_map_to_server_errors() {
    let emulator = start(EmulatorConfig::default());
    let client = client_for(&emulator, "emulator_secret");
    let err = client.user.create_user_and_membership::<CreateUserAndMembershipResponse>("org_missing".into(), new_user("a@example.com"), &NO_OPTIONS).await.unwrap_err();
    let Error::Server(server) = &err else { panic!("{err:?}") };
    assert_eq!(err.class_name(), "ScalekitNotFoundException");
    assert_eq!((server.http_status, server.error_code.as_deref()), (404, Some("NOT_FOUND")));
    assert!(server.request_id.as_deref().unwrap().starts_with("req_"));

    let err = client.organization.list_organizations::<ListOrganizationsResponse>(Some(ListOrganizationsOptions { page_size: Some(101.0), ..Default::default() }), &NO_OPTIONS).await.unwrap_err();
    let Error::Server(server) = &err else { panic!("{err:?}") };
    assert_eq!(err.class_name(), "ScalekitBadRequestException");
    assert_eq!((server.http_status, server.error_code.as_deref()), (400, Some("INVALID_ARGUMENT")));
    let violation = &server.err_details[0].validation_error_info.as_ref().unwrap().field_violations[0];
    assert_eq!(violation.field.as_deref(), Some("page_size"));
}

#[tokio::test]
async fn bad_input_is_rejected_before_any_request() {
    let emulator = start(EmulatorConfig::default());
    let client = client_for(&emulator, "emulator_secret");
    for (org, email, field) in [("", "a@example.com", "organizationId"), ("org_1", "", "email"), ("org_1", "not-an-email", "email")] {
        match client.user.create_user_and_membership::<CreateUserAndMembershipResponse>(org.to_string(), new_user(email), &NO_OPTIONS).await {
            Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
            other => panic!("expected invalid {field}, got {other:?}"),
        }
    }
    let err = client.organization.list_organizations::<ListOrganizationsResponse>(Some(ListOrganizationsOptions { page_size: Some(1.5), ..Default::default() }), &NO_OPTIONS).await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "pageSize"));
    assert!(emulator.state().requests().is_empty());
}

#[tokio::test]
async fn wrong_secret_gives_a_typed_error_without_the_secret() {
    let emulator = start(EmulatorConfig::default());
    let client = client_for(&emulator, "wrong-secret-value");
    let err = client.organization.list_organizations::<ListOrganizationsResponse>(None, &NO_OPTIONS).await.unwrap_err();
    assert_eq!(err.class_name(), "ScalekitUnauthorizedException");
    let Error::Server(server) = &err else { panic!("{err:?}") };
    assert_eq!(server.error_code.as_deref(), Some("invalid_client"));
    assert!(!format!("{err:?} {err}").contains("wrong-secret-value"));
    // A failed token request is not cached: the next call asks again.
    client.organization.list_organizations::<ListOrganizationsResponse>(None, &NO_OPTIONS).await.unwrap_err();
    assert_eq!(token_requests(&emulator), 2);
}

#[tokio::test]
async fn concurrent_callers_share_one_failed_token_request() {
    let emulator = start(EmulatorConfig::default());
    let client = client_for(&emulator, "wrong");
    let options = ListOrganizationsOptions::default();
    let calls = (0..20).map(|_| client.organization.list_organizations::<ListOrganizationsResponse>(Some(options.clone()), &NO_OPTIONS));
    let results = futures_util::future::join_all(calls).await;
    assert!(results.iter().all(|r| r.as_ref().is_err_and(|e| e.class_name() == "ScalekitUnauthorizedException")));
    assert_eq!(token_requests(&emulator), 1);
}

#[tokio::test]
async fn connection_refused_is_a_prompt_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let config = Config::new(&format!("http://127.0.0.1:{port}"), "id", "secret", ClientOptions::default()).unwrap();
    let client = ScalekitClient::new(config).unwrap();
    let started = Instant::now();
    let err = client.organization.list_organizations::<ListOrganizationsResponse>(None, &NO_OPTIONS).await.unwrap_err();
    assert!(matches!(&err, Error::Transport(e) if e.kind == TransportKind::Connect), "{err:?}");
    assert!(err.to_string().to_lowercase().contains("refused"), "cause chain kept: {err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn timeout_is_a_transport_error() {
    // A listener that accepts and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let options = ClientOptions::default().with_timeout_ms(Some(200.0)).unwrap();
    let client = ScalekitClient::new(Config::new(&url, "id", "secret", options).unwrap()).unwrap();
    let err = client.organization.list_organizations::<ListOrganizationsResponse>(None, &NO_OPTIONS).await.unwrap_err();
    assert!(matches!(&err, Error::Transport(e) if e.kind == TransportKind::Timeout), "{err:?}");
    drop(listener);
}
