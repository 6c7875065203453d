//! `client.permission`: permissions, and the permissions of roles.

use reqwest::Method;

use crate::error::Result;
use crate::http::{segment, Api, ApiRequest, RequestOptions};
use crate::models::{enum_names, CreatePermission, Empty, EnumValue, ListPermissionsOptions, ListPermissionsResponse, ListRolePermissionsResponse, PermissionResponse};
use crate::validate;
use crate::wire::FromWire;

#[derive(Debug, Clone)]
pub struct PermissionClient {
    api: Api,
}

path_calls! {
    impl PermissionClient {
        /// `GET /api/v1/permissions/{permission_name}`.
        get_permission(permission_name "permissionName") -> PermissionResponse = GET "/api/v1/permissions/{}";
        /// `DELETE /api/v1/permissions/{permission_name}`.
        delete_permission(permission_name "permissionName") -> Empty = DELETE "/api/v1/permissions/{}";
        /// `GET /api/v1/roles/{role_name}/permissions`: the role's own permissions.
        list_role_permissions(role_name "roleName") -> ListRolePermissionsResponse = GET "/api/v1/roles/{}/permissions";
        /// `DELETE /api/v1/roles/{role_name}/permissions/{permission_name}`.
        remove_permission_from_role(role_name "roleName", permission_name "permissionName") -> Empty = DELETE "/api/v1/roles/{}/permissions/{}";
        /// `GET /api/v1/roles/{role_name}/permissions:all`: the role's permissions and those it inherits.
        list_effective_role_permissions(role_name "roleName") -> ListRolePermissionsResponse = GET "/api/v1/roles/{}/permissions:all";
    }
}

impl PermissionClient {
    pub(crate) fn new(api: Api) -> Self {
        PermissionClient { api }
    }

    /// `POST /api/v1/permissions`.
    pub async fn create_permission<R: FromWire<PermissionResponse>>(&self, permission: CreatePermission, request_options: &RequestOptions) -> Result<R> {
        validate::required_id("permission.name", &permission.name)?;
        let request = ApiRequest::new(Method::POST, "/api/v1/permissions".into()).json(&permission)?;
        self.api.send::<PermissionResponse, R>(request, request_options).await
    }

    /// `GET /api/v1/permissions`. The official argument order: the page token first.
    pub async fn list_permissions<R: FromWire<ListPermissionsResponse>>(
        &self,
        page_token: Option<String>,
        page_size: Option<f64>,
        options: Option<ListPermissionsOptions>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let page_size = validate::page_size("pageSize", page_size)?;
        // `ALL` (0) is the server's default, and the spec's query enum has only the other two.
        let r#type = match options.and_then(|o| o.r#type) {
            Some(EnumValue::Number(0.0)) => None,
            Some(EnumValue::Name(name)) if name.trim().eq_ignore_ascii_case("ALL") => None,
            Some(t) => Some(t.resolve("options.type", enum_names::PERMISSION_TYPE)?),
            None => None,
        };
        let request = ApiRequest::new(Method::GET, "/api/v1/permissions".into()).query([
            ("page_token", page_token.filter(|t| !t.is_empty())),
            ("page_size", page_size.map(|n| n.to_string())),
            ("type", r#type.map(str::to_owned)),
        ]);
        self.api.send::<ListPermissionsResponse, R>(request, request_options).await
    }

    /// `PUT /api/v1/permissions/{permission_name}`.
    pub async fn update_permission<R: FromWire<PermissionResponse>>(
        &self,
        permission_name: String,
        permission: CreatePermission,
        request_options: &RequestOptions,
    ) -> Result<R> {
        let name = validate::required_id("permissionName", &permission_name)?;
        let request = ApiRequest::new(Method::PUT, format!("/api/v1/permissions/{}", segment(name))).json(&permission)?;
        self.api.send::<PermissionResponse, R>(request, request_options).await
    }

    /// `POST /api/v1/roles/{role_name}/permissions`: adds these (by name) to the role's own permissions.
    pub async fn add_permissions_to_role<R: FromWire<ListRolePermissionsResponse>>(
        &self,
        role_name: String,
        permission_names: Vec<String>,
        request_options: &RequestOptions,
    ) -> Result<R> {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            permission_names: &'a [String],
        }
        let name = validate::required_id("roleName", &role_name)?;
        for (i, permission) in permission_names.iter().enumerate() {
            validate::required_id(&format!("permissionNames[{i}]"), permission)?;
        }
        let request = ApiRequest::new(Method::POST, format!("/api/v1/roles/{}/permissions", segment(name))).json(&Body { permission_names: &permission_names })?;
        self.api.send::<ListRolePermissionsResponse, R>(request, request_options).await
    }
}
