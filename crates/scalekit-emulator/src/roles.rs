//! Roles (environment and organization), permissions, role permissions with
//! inheritance (`extends`), dependents and default roles.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::pagination::{page_response, Bounds, Total};
use axum::response::Response;
use crate::state::{now_rfc3339, without_nulls, AppState, Store};
use crate::parse_body;

/// A role as stored: `organization_id` is `None` for environment roles.
#[derive(Debug, Clone)]
pub struct RoleRecord {
    pub id: String,
    pub organization_id: Option<String>,
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub extends: Option<String>,
    pub permissions: Vec<String>,
    pub create_time: String,
}

/// Role and permission names: lower-case letters, digits, `_`, `-`, `:` and `.`, 1 to 100 characters.
fn valid_name(name: &str) -> bool {
    (1..=100).contains(&name.len()) && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | ':' | '.'))
}

impl Store {
    fn role(&self, organization_id: Option<&str>, name: &str) -> Option<&RoleRecord> {
        // An organization sees its own roles and the environment's.
        self.roles.iter().find(|r| r.name == name && (r.organization_id.as_deref() == organization_id || r.organization_id.is_none()))
    }

    /// Permission names of a role and of every role it extends.
    pub fn effective_permissions(&self, organization_id: Option<&str>, name: &str) -> Vec<String> {
        self.effective_permissions_by_role(organization_id, name).into_iter().map(|(permission, _)| permission).collect()
    }

    /// (permission, the role in the chain that grants it), the role's own first.
    fn effective_permissions_by_role(&self, organization_id: Option<&str>, name: &str) -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = Vec::new();
        let mut current = self.role(organization_id, name);
        let mut hops = 0;
        while let Some(role) = current {
            for p in &role.permissions {
                if !found.iter().any(|(known, _)| known == p) {
                    found.push((p.clone(), role.name.clone()));
                }
            }
            hops += 1;
            current = role.extends.as_deref().filter(|_| hops < 16).and_then(|parent| self.role(organization_id, parent));
        }
        found
    }

    /// A permission as a role holds it (`rolesRolePermission`).
    fn role_permission_json(&self, permission: &str, role_name: &str) -> Value {
        let mut json = self.permission_json(permission);
        json["role_name"] = json!(role_name);
        json.as_object_mut().map(|o| o.remove("is_scalekit_permission"));
        json
    }

    fn permission_json(&self, name: &str) -> Value {
        self.permissions.iter().find(|p| p["name"] == name).cloned().unwrap_or_else(|| json!({ "name": name }))
    }

    /// A role; with `include` `permissions` (its own) or `permissions:all` (inherited too).
    fn role_json(&self, role: &RoleRecord, include: Include) -> Value {
        let defaults = self.default_roles.get(&role.organization_id).cloned().unwrap_or_default();
        let dependents = self.roles.iter().filter(|r| r.extends.as_deref() == Some(role.name.as_str()) && r.organization_id == role.organization_id).count();
        let permissions: Vec<Value> = match include {
            Include::Nothing => Vec::new(),
            Include::Permissions => role.permissions.iter().map(|p| self.role_permission_json(p, &role.name)).collect(),
            Include::AllPermissions => self
                .effective_permissions_by_role(role.organization_id.as_deref(), &role.name)
                .iter()
                .map(|(p, from)| self.role_permission_json(p, from))
                .collect(),
        };
        let mut json = json!({
            "id": role.id, "name": role.name, "display_name": role.display_name, "description": role.description,
            "is_org_role": role.organization_id.is_some(),
            "default_creator": defaults.0.as_deref() == Some(role.name.as_str()),
            "default_member": defaults.1.as_deref() == Some(role.name.as_str()),
            "dependent_roles_count": dependents,
        });
        if !permissions.is_empty() {
            json["permissions"] = json!(permissions);
        }
        // proto3 JSON leaves an unset field out.
        if let Some(parent) = &role.extends {
            json["extends"] = json!(parent);
        }
        json
    }
}

/// The `include` query parameter of role reads.
#[derive(Debug, Clone, Copy)]
enum Include {
    Nothing,
    Permissions,
    AllPermissions,
}

fn include(query: &HashMap<String, String>) -> ApiResult<Include> {
    match query.get("include").map(String::as_str) {
        None | Some("") => Ok(Include::Nothing),
        Some("permissions") => Ok(Include::Permissions),
        Some("permissions:all") => Ok(Include::AllPermissions),
        Some(_) => Err(ApiError::field("include", "value must be permissions or permissions:all", "string.in")),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RoleBody {
    name: Option<String>,
    display_name: Option<String>,
    description: Option<String>,
    extends: Option<String>,
    permissions: Option<Vec<String>>,
}

fn org_scope(state: &AppState, organization_id: Option<&str>) -> ApiResult<()> {
    if let Some(org) = organization_id {
        state.store.lock().unwrap().organization(org).ok_or_else(|| ApiError::not_found(format!("organization {org} not found")))?;
    }
    Ok(())
}

fn check_references(store: &Store, organization_id: Option<&str>, body: &RoleBody) -> ApiResult<()> {
    if let Some(parent) = body.extends.as_deref().filter(|e| !e.is_empty()) {
        if store.role(organization_id, parent).is_none() {
            return Err(ApiError::field("extends", &format!("role {parent} does not exist"), "role.exists"));
        }
    }
    for p in body.permissions.iter().flatten() {
        if !store.permissions.iter().any(|known| known["name"] == *p) {
            return Err(ApiError::field("permissions", &format!("permission {p} does not exist"), "permission.exists"));
        }
    }
    Ok(())
}

fn create_in(state: &Arc<AppState>, organization_id: Option<String>, body: &Bytes) -> ApiResult<(StatusCode, Json<Value>)> {
    let request: RoleBody = parse_body(body)?;
    org_scope(state, organization_id.as_deref())?;
    let name = request.name.clone().unwrap_or_default();
    if !valid_name(&name) {
        return Err(ApiError::field("name", "value must be 1-100 lower-case letters, digits, _, -, : or .", "string.pattern"));
    }
    let mut store = state.store.lock().unwrap();
    if store.roles.iter().any(|r| r.name == name && r.organization_id == organization_id) {
        return Err(ApiError::conflict(format!("role {name} already exists")));
    }
    check_references(&store, organization_id.as_deref(), &request)?;
    let role = RoleRecord {
        id: state.new_id("role"),
        organization_id,
        display_name: request.display_name.unwrap_or_else(|| name.clone()),
        description: request.description.unwrap_or_default(),
        extends: request.extends.filter(|e| !e.is_empty()),
        permissions: request.permissions.unwrap_or_default(),
        create_time: now_rfc3339(),
        name,
    };
    let json = store.role_json(&role, Include::Permissions);
    store.roles.push(role);
    Ok((StatusCode::CREATED, Json(json!({ "role": json }))))
}

fn find_index(store: &Store, organization_id: Option<&str>, name: &str) -> ApiResult<usize> {
    store
        .roles
        .iter()
        .position(|r| r.name == name && r.organization_id.as_deref() == organization_id)
        .ok_or_else(|| ApiError::not_found(format!("role {name} not found")))
}

fn get_in(state: &AppState, organization_id: Option<&str>, name: &str, query: &HashMap<String, String>) -> ApiResult<Json<Value>> {
    let include = include(query)?;
    let store = state.store.lock().unwrap();
    let role = store.role(organization_id, name).ok_or_else(|| ApiError::not_found(format!("role {name} not found")))?;
    Ok(Json(json!({ "role": store.role_json(role, include) })))
}

fn list_in(state: &AppState, organization_id: Option<&str>, query: &HashMap<String, String>) -> ApiResult<Json<Value>> {
    let include = include(query)?;
    org_scope(state, organization_id)?;
    let store = state.store.lock().unwrap();
    let roles: Vec<Value> = store
        .roles
        .iter()
        .filter(|r| r.organization_id.is_none() || r.organization_id.as_deref() == organization_id)
        .map(|r| store.role_json(r, include))
        .collect();
    Ok(Json(json!({ "roles": roles })))
}

fn update_in(state: &AppState, organization_id: Option<&str>, name: &str, body: &Bytes) -> ApiResult<Json<Value>> {
    let request: RoleBody = parse_body(body)?;
    if request.name.is_some() {
        return Err(ApiError::invalid("invalid request body: unknown field `name`"));
    }
    let mut store = state.store.lock().unwrap();
    let index = find_index(&store, organization_id, name)?;
    check_references(&store, organization_id, &request)?;
    // A base role must not (through its own bases) extend this role.
    let mut ancestor = request.extends.as_deref().filter(|e| !e.is_empty());
    let mut hops = 0;
    while let Some(parent) = ancestor {
        if parent == name {
            return Err(ApiError::field("extends", "a role cannot extend itself, directly or through its base roles", "role.cycle"));
        }
        hops += 1;
        ancestor = store.role(organization_id, parent).and_then(|r| r.extends.as_deref()).filter(|_| hops < 16);
    }
    let role = &mut store.roles[index];
    if let Some(v) = request.display_name {
        role.display_name = v;
    }
    if let Some(v) = request.description {
        role.description = v;
    }
    if let Some(v) = request.extends {
        role.extends = (!v.is_empty()).then_some(v);
    }
    if let Some(v) = request.permissions {
        role.permissions = v;
    }
    let role = store.roles[index].clone();
    Ok(Json(json!({ "role": store.role_json(&role, Include::Permissions) })))
}

/// Deletes a role; members holding it get `reassign_role_name` instead when given.
fn delete_in(state: &AppState, organization_id: Option<&str>, name: &str, query: &HashMap<String, String>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let index = find_index(&store, organization_id, name)?;
    if store.roles.iter().any(|r| r.extends.as_deref() == Some(name) && r.organization_id.as_deref() == organization_id) {
        return Err(ApiError::field("role_name", "other roles extend this role; delete or change them first", "role.dependents"));
    }
    let reassign = query.get("reassign_role_name").filter(|r| !r.is_empty()).cloned();
    if let Some(target) = &reassign {
        if target == name {
            return Err(ApiError::field("reassign_role_name", "a role cannot be reassigned to itself", "role.reassign"));
        }
        store.role(organization_id, target).ok_or_else(|| ApiError::field("reassign_role_name", &format!("role {target} does not exist"), "role.exists"))?;
    }
    store.roles.remove(index);
    for user in store.users.iter_mut() {
        for membership in user["memberships"].as_array_mut().into_iter().flatten() {
            if organization_id.is_some_and(|org| membership["organization_id"] != org) {
                continue;
            }
            let Some(roles) = membership["roles"].as_array_mut() else { continue };
            let before = roles.len();
            roles.retain(|r| r["name"] != name);
            if let Some(target) = reassign.as_ref().filter(|t| roles.len() < before && !roles.iter().any(|r| r["name"] == **t)) {
                roles.push(json!({ "name": target }));
            }
        }
    }
    Ok(Json(json!({})))
}

pub async fn create(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<(StatusCode, Json<Value>)> {
    let created = create_in(&state, None, &body)?;
    state.emit("role.created", "Role", None, created.1["role"].clone());
    Ok(created)
}
pub async fn list(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Json<Value>> {
    list_in(&state, None, &query)
}
pub async fn get(State(state): State<Arc<AppState>>, Path(name): Path<String>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Json<Value>> {
    get_in(&state, None, &name, &query)
}
pub async fn update(State(state): State<Arc<AppState>>, Path(name): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    let updated = update_in(&state, None, &name, &body)?;
    state.emit("role.updated", "Role", None, updated["role"].clone());
    Ok(updated)
}
pub async fn delete(State(state): State<Arc<AppState>>, Path(name): Path<String>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Json<Value>> {
    let deleted = delete_in(&state, None, &name, &query)?;
    state.emit("role.deleted", "Role", None, json!({ "name": name }));
    Ok(deleted)
}
pub async fn create_org(State(state): State<Arc<AppState>>, Path(org): Path<String>, body: Bytes) -> ApiResult<(StatusCode, Json<Value>)> {
    let created = create_in(&state, Some(org.clone()), &body)?;
    state.emit("role.created", "Role", Some(&org), created.1["role"].clone());
    Ok(created)
}
pub async fn list_org(State(state): State<Arc<AppState>>, Path(org): Path<String>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Json<Value>> {
    list_in(&state, Some(&org), &query)
}
pub async fn get_org(
    State(state): State<Arc<AppState>>,
    Path((org, name)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    get_in(&state, Some(&org), &name, &query)
}
pub async fn update_org(State(state): State<Arc<AppState>>, Path((org, name)): Path<(String, String)>, body: Bytes) -> ApiResult<Json<Value>> {
    let updated = update_in(&state, Some(&org), &name, &body)?;
    state.emit("role.updated", "Role", Some(&org), updated["role"].clone());
    Ok(updated)
}
pub async fn delete_org(
    State(state): State<Arc<AppState>>,
    Path((org, name)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let deleted = delete_in(&state, Some(&org), &name, &query)?;
    state.emit("role.deleted", "Role", Some(&org), json!({ "name": name }));
    Ok(deleted)
}

pub async fn dependents(State(state): State<Arc<AppState>>, Path(name): Path<String>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    find_index(&store, None, &name)?;
    let roles: Vec<Value> = store.roles.iter().filter(|r| r.extends.as_deref() == Some(name.as_str())).map(|r| store.role_json(r, Include::Nothing)).collect();
    Ok(Json(json!({ "roles": roles })))
}

pub async fn role_permissions(State(state): State<Arc<AppState>>, Path(name): Path<String>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    let role = &store.roles[find_index(&store, None, &name)?];
    let permissions: Vec<Value> = role.permissions.iter().map(|p| store.role_permission_json(p, &name)).collect();
    Ok(Json(json!({ "permissions": permissions })))
}

pub async fn effective_role_permissions(State(state): State<Arc<AppState>>, Path(name): Path<String>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    find_index(&store, None, &name)?;
    let permissions: Vec<Value> = store.effective_permissions_by_role(None, &name).iter().map(|(p, from)| store.role_permission_json(p, from)).collect();
    Ok(Json(json!({ "permissions": permissions })))
}

pub async fn add_role_permissions(State(state): State<Arc<AppState>>, Path(name): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        permission_names: Vec<String>,
    }
    let request: Body = parse_body(&body)?;
    let mut store = state.store.lock().unwrap();
    let index = find_index(&store, None, &name)?;
    check_references(&store, None, &RoleBody { permissions: Some(request.permission_names.clone()), ..Default::default() })?;
    for p in request.permission_names {
        if !store.roles[index].permissions.contains(&p) {
            store.roles[index].permissions.push(p);
        }
    }
    let permissions: Vec<Value> = store.roles[index].permissions.iter().map(|p| store.role_permission_json(p, &name)).collect();
    Ok(Json(json!({ "permissions": permissions })))
}

pub async fn remove_role_permission(State(state): State<Arc<AppState>>, Path((name, permission)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let index = find_index(&store, None, &name)?;
    let before = store.roles[index].permissions.len();
    store.roles[index].permissions.retain(|p| *p != permission);
    if store.roles[index].permissions.len() == before {
        return Err(ApiError::not_found(format!("role {name} has no permission {permission}")));
    }
    Ok(Json(json!({})))
}

pub async fn users_count(State(state): State<Arc<AppState>>, Path(name): Path<String>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    find_index(&store, None, &name)?;
    let count = store
        .users
        .iter()
        .filter(|u| u["memberships"].as_array().is_some_and(|ms| ms.iter().any(|m| m["roles"].as_array().is_some_and(|rs| rs.iter().any(|r| r["name"] == *name)))))
        .count();
    // int64 counts are JSON strings in proto3 JSON.
    Ok(Json(json!({ "count": count.to_string() })))
}

pub async fn set_defaults(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct NamedRole {
        name: Option<String>,
    }
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        default_creator_role: Option<String>,
        default_member_role: Option<String>,
        default_creator: Option<NamedRole>,
        default_member: Option<NamedRole>,
    }
    let request: Body = parse_body(&body)?;
    let creator = request.default_creator_role.or(request.default_creator.and_then(|r| r.name));
    let member = request.default_member_role.or(request.default_member.and_then(|r| r.name));
    let mut store = state.store.lock().unwrap();
    for name in creator.iter().chain(member.iter()) {
        find_index(&store, None, name)?;
    }
    let defaults = store.default_roles.entry(None).or_default();
    if creator.is_some() {
        defaults.0 = creator;
    }
    if member.is_some() {
        defaults.1 = member;
    }
    let (creator, member) = defaults.clone();
    let view = |name: Option<String>| name.and_then(|n| store.role(None, &n).map(|r| store.role_json(r, Include::Nothing)));
    Ok(Json(without_nulls(json!({ "default_creator": view(creator), "default_member": view(member) }))))
}

pub async fn create_permission(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult<(StatusCode, Json<Value>)> {
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        name: String,
        description: Option<String>,
    }
    let request: Body = parse_body(&body)?;
    if !valid_name(&request.name) {
        return Err(ApiError::field("name", "value must be 1-100 lower-case letters, digits, _, -, : or .", "string.pattern"));
    }
    let mut store = state.store.lock().unwrap();
    if store.permissions.iter().any(|p| p["name"] == *request.name) {
        return Err(ApiError::conflict(format!("permission {} already exists", request.name)));
    }
    let now = now_rfc3339();
    let permission = json!({
        "id": state.new_id("perm"), "name": request.name, "description": request.description.unwrap_or_default(),
        "is_scalekit_permission": false, "create_time": now, "update_time": now,
    });
    store.permissions.push(permission.clone());
    drop(store);
    state.emit("permission.created", "Permission", None, permission.clone());
    Ok((StatusCode::CREATED, Json(json!({ "permission": permission }))))
}

pub async fn get_permission(State(state): State<Arc<AppState>>, Path(name): Path<String>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    let permission = store.permissions.iter().find(|p| p["name"] == *name).ok_or_else(|| ApiError::not_found(format!("permission {name} not found")))?;
    Ok(Json(json!({ "permission": permission })))
}

pub async fn update_permission(State(state): State<Arc<AppState>>, Path(name): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        name: Option<String>,
        description: Option<String>,
    }
    let request: Body = parse_body(&body)?;
    if request.name.as_deref().is_some_and(|n| n != name) {
        return Err(ApiError::field("name", "a permission cannot be renamed", "string.const"));
    }
    let mut store = state.store.lock().unwrap();
    let permission = store.permissions.iter_mut().find(|p| p["name"] == *name).ok_or_else(|| ApiError::not_found(format!("permission {name} not found")))?;
    if let Some(description) = request.description {
        permission["description"] = json!(description);
    }
    permission["update_time"] = json!(now_rfc3339());
    let permission = permission.clone();
    drop(store);
    state.emit("permission.updated", "Permission", None, permission.clone());
    Ok(Json(json!({ "permission": permission })))
}

pub async fn delete_permission(State(state): State<Arc<AppState>>, Path(name): Path<String>) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let index = store.permissions.iter().position(|p| p["name"] == *name).ok_or_else(|| ApiError::not_found(format!("permission {name} not found")))?;
    store.permissions.remove(index);
    for role in store.roles.iter_mut() {
        role.permissions.retain(|p| *p != name);
    }
    drop(store);
    state.emit("permission.deleted", "Permission", None, json!({ "name": name }));
    Ok(Json(json!({})))
}

pub async fn list_permissions(State(state): State<Arc<AppState>>, Query(query): Query<HashMap<String, String>>) -> ApiResult<Response> {
    match query.get("type").map(String::as_str) {
        None | Some("") | Some("ALL") | Some("ENVIRONMENT") | Some("SCALEKIT") => {}
        Some(_) => return Err(ApiError::field("type", "value must be ALL, SCALEKIT or ENVIRONMENT", "enum.defined_only")),
    }
    let scalekit_only = query.get("type").map(String::as_str) == Some("SCALEKIT");
    let store = state.store.lock().unwrap();
    let permissions: Vec<&Value> = store.permissions.iter().filter(|p| !scalekit_only || p["is_scalekit_permission"] == true).collect();
    page_response("permissions", &permissions, &query, Bounds { min: 1, max: 100, default: 30 }, Total::Size)
}

/// `DELETE /roles/{role_name}/base` (and the organization variant): the role stops extending another.
fn delete_base_in(state: &AppState, organization_id: Option<&str>, name: &str) -> ApiResult<Json<Value>> {
    let mut store = state.store.lock().unwrap();
    let index = find_index(&store, organization_id, name)?;
    if store.roles[index].extends.take().is_none() {
        return Err(ApiError::field("role_name", "the role extends no other role", "role.base"));
    }
    Ok(Json(json!({})))
}

pub async fn delete_base(State(state): State<Arc<AppState>>, Path(name): Path<String>) -> ApiResult<Json<Value>> {
    delete_base_in(&state, None, &name)
}

pub async fn delete_org_base(State(state): State<Arc<AppState>>, Path((org, name)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    delete_base_in(&state, Some(&org), &name)
}

/// Members of the organization holding the role.
pub async fn org_users_count(State(state): State<Arc<AppState>>, Path((org, name)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    let store = state.store.lock().unwrap();
    store.role(Some(&org), &name).ok_or_else(|| ApiError::not_found(format!("role {name} not found")))?;
    let count = store
        .users
        .iter()
        .filter(|u| {
            u["memberships"].as_array().is_some_and(|ms| {
                ms.iter().any(|m| m["organization_id"] == *org && m["roles"].as_array().is_some_and(|rs| rs.iter().any(|r| r["name"] == *name)))
            })
        })
        .count();
    Ok(Json(json!({ "count": count.to_string() })))
}

/// `PATCH /organizations/{org_id}/roles:set_defaults`.
pub async fn set_org_defaults(State(state): State<Arc<AppState>>, Path(org): Path<String>, body: Bytes) -> ApiResult<Json<Value>> {
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, default)]
    struct Body {
        default_member_role: String,
    }
    let request: Body = parse_body(&body)?;
    org_scope(&state, Some(&org))?;
    let mut store = state.store.lock().unwrap();
    let role = store.role(Some(&org), &request.default_member_role).cloned().ok_or_else(|| ApiError::not_found(format!("role {} not found", request.default_member_role)))?;
    store.default_roles.entry(Some(org)).or_default().1 = Some(role.name.clone());
    Ok(Json(json!({ "default_member": store.role_json(&role, Include::Nothing) })))
}
