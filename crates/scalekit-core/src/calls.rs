//! `path_calls!`: the calls whose only inputs are path ids, one line each.

/// ```ignore
/// path_calls! {
///     impl ConnectionClient {
///         /// `GET /api/v1/organizations/{organization_id}/connections/{id}`.
///         get_connection(organization_id "organizationId", id "id") -> ConnectionResponse = GET "/api/v1/organizations/{}/connections/{}";
///     }
/// }
/// ```
/// Each id is trimmed, must not be blank (an `InvalidInput` naming its JS
/// parameter, before any I/O) and is escaped as one path segment, in order.
macro_rules! path_calls {
    (impl $client:ident { $( $(#[$doc:meta])* $name:ident($($arg:ident $js:literal),*) -> $model:ty = $method:ident $path:literal; )* }) => {
        impl $client {
            $(
                $(#[$doc])*
                pub async fn $name<R: $crate::wire::FromWire<$model>>(
                    &self,
                    $($arg: String,)*
                    request_options: &$crate::http::RequestOptions,
                ) -> $crate::error::Result<R> {
                    let path = format!($path, $($crate::http::segment($crate::validate::required_id($js, &$arg)?)),*);
                    self.api.send::<$model, R>($crate::http::ApiRequest::new(reqwest::Method::$method, path), request_options).await
                }
            )*
        }
    };
}
