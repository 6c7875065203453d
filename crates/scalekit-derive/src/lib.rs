//! `#[derive(WireShape)]` for scalekit-core's response models.
//!
//! The model's serde definition stays the only definition: this derive reads
//! the same fields and serde attributes and emits the `Shape` the transcoder
//! uses to turn wire JSON into the camelCase JSON that serde would produce.
//! Attributes the transcoder does not model are compile errors, so the two
//! paths cannot drift apart silently.

use proc_macro::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::{parse_macro_input, Data, DeriveInput, Fields, LitStr, Type};

#[proc_macro_derive(WireShape)]
pub fn derive_wire_shape(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

fn expand(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    check_container(input)?;
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(&input.ident, "WireShape supports structs only"));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new_spanned(&input.ident, "WireShape needs named fields"));
    };
    if named.named.len() > 64 {
        return Err(syn::Error::new_spanned(&input.ident, "WireShape tracks at most 64 fields"));
    }
    let mut fields = Vec::new();
    for field in &named.named {
        let ident = field.ident.as_ref().expect("named field").unraw().to_string();
        let FieldAttributes { omit_none, helper, rename } = field_attributes(field)?;
        if omit_none && !is_option(&field.ty) {
            return Err(syn::Error::new_spanned(&field.ty, "skip_serializing_if = \"Option::is_none\" needs an Option field"));
        }
        // The transcoder reads every integer leniently (number, numeric string or null),
        // which is what the `lenient_*` helpers do and plain `u32`/`i64` do not.
        let ty = &field.ty;
        let ty_text = quote!(#ty).to_string().replace(' ', "");
        for int in ["u32", "i64"] {
            let counter = ty_text.split(|c: char| !c.is_alphanumeric()).any(|t| t == int);
            let (plain, optional) = (format!("lenient_{int}"), format!("lenient_opt_{int}"));
            match helper.as_deref() {
                Some(h) if h == plain && !(counter && ty_text == int) => {
                    return Err(syn::Error::new_spanned(&field.ty, format!("{plain} needs a plain {int} field")))
                }
                Some(h) if h == optional && !(counter && ty_text == format!("Option<{int}>")) => {
                    return Err(syn::Error::new_spanned(&field.ty, format!("{optional} needs an Option<{int}> field")))
                }
                Some(h) if h == plain || h == optional => {}
                _ if counter => {
                    return Err(syn::Error::new_spanned(&field.ty, format!("{int} fields need deserialize_with = \"{plain}\" (or \"{optional}\" for Option<{int}>)")))
                }
                _ => {}
            }
        }
        // proto3 JSON allows `null` for every field, meaning its default: an Option reads it as
        // None, and every other field must say so through its helper (serde alone rejects it).
        let null_as_default = helper.is_some();
        if !null_as_default && !is_option(&field.ty) {
            return Err(syn::Error::new_spanned(
                &field.ty,
                "proto3 JSON may send null for any field: add #[serde(deserialize_with = \"null_as_default\")] (or make it an Option)",
            ));
        }
        // `rename` names the field on both sides, as serde's does.
        let js = rename.clone().unwrap_or_else(|| camel_case(&ident));
        let ident = rename.unwrap_or(ident);
        fields.push(quote! {
            crate::wire::Field {
                wire: #ident,
                js: #js,
                shape: &<#ty as crate::wire::WireShape>::SHAPE,
                omit_none: #omit_none,
                null_as_default: #null_as_default,
            }
        });
    }
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_generics crate::wire::WireShape for #name #ty_generics #where_clause {
            const SHAPE: crate::wire::Shape = crate::wire::Shape::Object(&[#(#fields),*]);
        }
    })
}

/// The container must read snake_case, write camelCase and default missing fields.
fn check_container(input: &DeriveInput) -> syn::Result<()> {
    let mut renames = false;
    let mut default = false;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                default = true;
                Ok(())
            } else if meta.path.is_ident("rename_all") {
                let mut ok = (false, false);
                meta.parse_nested_meta(|rule| {
                    let value: LitStr = rule.value()?.parse()?;
                    match (rule.path.get_ident().map(|i| i.to_string()).as_deref(), value.value().as_str()) {
                        (Some("deserialize"), "snake_case") => ok.0 = true,
                        (Some("serialize"), "camelCase") => ok.1 = true,
                        _ => return Err(rule.error("WireShape needs rename_all(deserialize = \"snake_case\", serialize = \"camelCase\")")),
                    }
                    Ok(())
                })?;
                renames = ok.0 && ok.1;
                Ok(())
            } else {
                Err(meta.error("container attribute not supported by WireShape"))
            }
        })?;
    }
    if !renames || !default {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "WireShape needs #[serde(rename_all(deserialize = \"snake_case\", serialize = \"camelCase\"), default)]",
        ));
    }
    Ok(())
}

/// The `deserialize_with` helpers of `scalekit_core::models` that the transcoder models.
const HELPERS: [&str; 5] = ["null_as_default", "lenient_u32", "lenient_opt_u32", "lenient_i64", "lenient_opt_i64"];

struct FieldAttributes {
    /// `skip_serializing_if = "Option::is_none"`.
    omit_none: bool,
    /// The `deserialize_with` helper, one of those the transcoder models.
    helper: Option<String>,
    /// `rename = "…"`: a wire key that is not the field's name (serde uses it for both directions).
    rename: Option<String>,
}

fn field_attributes(field: &syn::Field) -> syn::Result<FieldAttributes> {
    let mut attributes = FieldAttributes { omit_none: false, helper: None, rename: None };
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let name = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            let value = if meta.input.peek(syn::Token![=]) { Some(meta.value()?.parse::<LitStr>()?.value()) } else { None };
            match (name.as_str(), value) {
                ("skip_serializing_if", Some(v)) if v == "Option::is_none" => attributes.omit_none = true,
                ("rename", Some(v)) => attributes.rename = Some(v),
                ("deserialize_with", Some(v)) if HELPERS.contains(&v.trim_start_matches("crate::models::")) => {
                    attributes.helper = Some(v.trim_start_matches("crate::models::").to_owned())
                }
                _ => return Err(meta.error(format!("serde field attribute `{name}` is not supported by WireShape"))),
            }
            Ok(())
        })?;
    }
    Ok(attributes)
}

fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// serde's `rename_all = "camelCase"` rule for a field (serde_derive's `RenameRule::CamelCase`).
fn camel_case(field: &str) -> String {
    let mut pascal = String::with_capacity(field.len());
    let mut capitalize = true;
    for ch in field.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(ch);
        }
    }
    pascal[..1].to_ascii_lowercase() + &pascal[1..]
}

/// On a result model of scalekit-core: adds what every result model needs, so a
/// model is only its fields and their docs.
/// - the napi object (results only) for the generated TypeScript type;
/// - `Deserialize` from snake_case wire JSON, `Serialize` to camelCase, `WireShape`;
/// - per field, what proto3 JSON requires: `null` or absent reads as the default
///   (`null_as_default`), integers also as strings (`lenient_*`), and an unset
///   `Option` is left out of the result.
///
/// A field that already has a `#[serde(…)]` attribute keeps it as written.
#[proc_macro_attribute]
pub fn model(_attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut input = parse_macro_input!(item as DeriveInput);
    if let Data::Struct(data) = &mut input.data {
        for field in data.fields.iter_mut() {
            if field.attrs.iter().any(|a| a.path().is_ident("serde")) {
                continue;
            }
            let ty = &field.ty;
            let attr: syn::Attribute = match quote!(#ty).to_string().replace(' ', "").as_str() {
                "Option<u32>" => syn::parse_quote!(#[serde(deserialize_with = "crate::models::lenient_opt_u32", skip_serializing_if = "Option::is_none")]),
                "Option<i64>" => syn::parse_quote!(#[serde(deserialize_with = "crate::models::lenient_opt_i64", skip_serializing_if = "Option::is_none")]),
                "u32" => syn::parse_quote!(#[serde(deserialize_with = "crate::models::lenient_u32")]),
                "i64" => syn::parse_quote!(#[serde(deserialize_with = "crate::models::lenient_i64")]),
                _ if is_option(ty) => syn::parse_quote!(#[serde(skip_serializing_if = "Option::is_none")]),
                _ => syn::parse_quote!(#[serde(deserialize_with = "crate::models::null_as_default")]),
            };
            field.attrs.push(attr);
        }
    }
    quote! {
        #[cfg_attr(feature = "napi", napi_derive::napi(object, object_from_js = false))]
        #[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize, scalekit_derive::WireShape)]
        #[serde(rename_all(deserialize = "snake_case", serialize = "camelCase"), default)]
        #input
    }
    .into()
}

/// On a `#[napi] impl` block (placed above `#[napi]`): adds
/// `JS_PARAMETERS`, the JS name of each exported method (`constructor` for
/// the constructor) with its parameters as `name: a string` or
/// `name?: an object` (optional), in JS names and JS types. napi-rs's own
/// argument-conversion errors name neither, and echo the value they could not
/// convert; the JS wrapper uses this table to name the argument instead.
#[proc_macro_attribute]
pub fn js_parameters(_attr: TokenStream, item: TokenStream) -> TokenStream {
    let block = parse_macro_input!(item as syn::ItemImpl);
    let self_ty = &block.self_ty;
    let mut entries = Vec::new();
    let mut asyncs = Vec::new();
    for item in &block.items {
        let syn::ImplItem::Fn(method) = item else { continue };
        let Some((words, js_name)) = napi_attribute(&method.attrs) else { continue };
        if words.iter().any(|w| w == "getter" || w == "setter") {
            continue;
        }
        let name = if words.iter().any(|w| w == "constructor") {
            "constructor".to_owned()
        } else {
            js_name.unwrap_or_else(|| camel_case(&method.sig.ident.unraw().to_string()))
        };
        let parameters: Vec<String> = method
            .sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                syn::FnArg::Typed(typed) if !is_injected(&typed.ty) => match &*typed.pat {
                    syn::Pat::Ident(ident) => {
                        let name = camel_case(ident.ident.unraw().to_string().trim_start_matches('_'));
                        let (optional, kind) = js_kind(&typed.ty);
                        Some(format!("{name}{}: {kind}", if optional { "?" } else { "" }))
                    }
                    _ => None,
                },
                _ => None,
            })
            .collect();
        // `async fn`, or a function that returns a promise itself (the sub-clients' methods).
        let returns_promise = match &method.sig.output {
            syn::ReturnType::Type(_, ty) => quote!(#ty).to_string().contains("PromiseRaw"),
            syn::ReturnType::Default => false,
        };
        if method.sig.asyncness.is_some() || returns_promise {
            asyncs.push(name.clone());
        }
        entries.push(quote! { (#name, &[#(#parameters),*]) });
    }
    quote! {
        #block
        impl #self_ty {
            /// JS method names with their JS parameters, `name?: type` (see `scalekit_derive::js_parameters`).
            pub const JS_PARAMETERS: &'static [(&'static str, &'static [&'static str])] = &[#(#entries),*];
            /// The JS names of the methods that return a promise.
            pub const JS_ASYNC: &'static [&'static str] = &[#(#asyncs),*];
        }
    }
    .into()
}

/// What a method's `#[napi(...)]` attribute says, if it has one: its bare
/// words (`constructor`, `getter`, …) and its `js_name`.
fn napi_attribute(attrs: &[syn::Attribute]) -> Option<(Vec<String>, Option<String>)> {
    let attr = attrs.iter().find(|a| a.path().segments.last().is_some_and(|s| s.ident == "napi"))?;
    let (mut words, mut js_name) = (Vec::new(), None);
    if let syn::Meta::List(list) = &attr.meta {
        let _ = list.parse_nested_meta(|meta| {
            if meta.path.is_ident("js_name") {
                js_name = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                let _ = meta.input.parse::<proc_macro2::TokenTree>()?;
            } else if let Some(ident) = meta.path.get_ident() {
                words.push(ident.to_string());
            }
            Ok(())
        });
    }
    Some((words, js_name))
}

/// Whether a parameter may be left out, and the JS type napi-rs converts it from.
fn js_kind(ty: &Type) -> (bool, &'static str) {
    let segment = match ty {
        Type::Reference(reference) => return js_kind(&reference.elem),
        Type::Slice(_) | Type::Array(_) => return (false, "an array"),
        Type::Path(path) => path.path.segments.last(),
        _ => None,
    };
    let Some(segment) = segment else { return (false, "an object") };
    let name = segment.ident.to_string();
    match name.as_str() {
        "Option" => {
            let inner = match &segment.arguments {
                syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
                    syn::GenericArgument::Type(t) => Some(js_kind(t).1),
                    _ => None,
                }),
                _ => None,
            };
            (true, inner.unwrap_or("an object"))
        }
        "Either" => {
            let kinds: Vec<&str> = match &segment.arguments {
                syn::PathArguments::AngleBracketed(args) => args
                    .args
                    .iter()
                    .filter_map(|a| match a {
                        syn::GenericArgument::Type(t) => Some(js_kind(t).1),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            // A `&'static str` is needed: leak the few combinations, once per macro expansion.
            (false, Box::leak(kinds.join(" or ").into_boxed_str()))
        }
        "Buffer" => (false, "a Buffer"),
        "String" | "str" => (false, "a string"),
        "bool" => (false, "a boolean"),
        "Vec" => (false, "an array"),
        "f64" | "f32" | "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "usize" | "isize" => (false, "a number"),
        "Function" | "FunctionRef" => (false, "a function"),
        _ => (false, "an object"),
    }
}

/// Parameters napi-rs fills in itself rather than from a JS argument.
fn is_injected(ty: &Type) -> bool {
    let ty = match ty {
        Type::Reference(reference) => &*reference.elem,
        other => other,
    };
    let Type::Path(path) = ty else { return false };
    path.path.segments.last().is_some_and(|s| s.ident == "Env" || s.ident == "This")
}

/// Declares a sub-client class of the bindings from one line per method:
///
/// ```ignore
/// #[scalekit_derive::sub_client(core = scalekit_core::OrganizationClient)]
/// impl OrganizationClient {
///     /// `GET /api/v1/organizations/{id}`: one organization.
///     fn get_organization(id: String) -> GetOrganizationResponse;
///     /// The official singular name.
///     #[alias_of(list_organizations)]
///     fn list_organization(options: Option<ListOrganizationsOptions>) -> ListOrganizationsResponse;
/// }
/// ```
///
/// Each line becomes an async napi method that takes the same arguments plus
/// the optional per-request options, calls the core method of the same name
/// (or the one `alias_of` names) for camelCase JSON, and is typed as
/// `Promise<Result>` in the generated d.ts. The class also gets its struct,
/// `new`, and the `JS_PARAMETERS` table (see [`js_parameters`]).
#[proc_macro_attribute]
pub fn sub_client(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand_sub_client(attr.into(), item.into()).unwrap_or_else(syn::Error::into_compile_error).into()
}

fn expand_sub_client(attr: proc_macro2::TokenStream, item: proc_macro2::TokenStream) -> syn::Result<proc_macro2::TokenStream> {
    let mut core: Option<syn::Path> = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("core") {
            core = Some(meta.value()?.parse()?);
            Ok(())
        } else {
            Err(meta.error("expected `core = path::To::CoreClient`"))
        }
    });
    syn::parse::Parser::parse2(parser, attr)?;
    let core = core.ok_or_else(|| syn::Error::new(proc_macro2::Span::call_site(), "sub_client needs `core = …`"))?;
    let block: syn::ItemImpl = syn::parse2(item)?;
    let class = &block.self_ty;
    let class_attrs = &block.attrs;
    let mut methods = Vec::new();
    for item in &block.items {
        let declaration: syn::TraitItemFn = match item {
            syn::ImplItem::Verbatim(tokens) => syn::parse2(tokens.clone())?,
            other => return Err(syn::Error::new_spanned(other, "sub_client takes method declarations without bodies: `fn name(args) -> Result;`")),
        };
        let mut alias_of = None;
        let mut docs = Vec::new();
        for attr in &declaration.attrs {
            if attr.path().is_ident("alias_of") {
                alias_of = Some(attr.parse_args::<syn::Ident>()?);
            } else {
                docs.push(attr);
            }
        }
        let name = &declaration.sig.ident;
        let target = alias_of.as_ref().unwrap_or(name);
        let syn::ReturnType::Type(_, result) = &declaration.sig.output else {
            return Err(syn::Error::new_spanned(&declaration.sig, "declare the result model: `-> Model`"));
        };
        let ts_return = format!("Promise<{}>", quote!(#result).to_string().replace(' ', ""));
        let args: Vec<&syn::PatType> = declaration
            .sig
            .inputs
            .iter()
            .map(|input| match input {
                syn::FnArg::Typed(typed) => Ok(typed),
                syn::FnArg::Receiver(r) => Err(syn::Error::new_spanned(r, "no `self`: it is added")),
            })
            .collect::<syn::Result<_>>()?;
        let arg_names: Vec<&syn::Pat> = args.iter().map(|a| &*a.pat).collect();
        // Not an `async fn`: each method boxes its future, so that napi's promise glue is
        // instantiated once for all of them (it was most of the binary's size).
        methods.push(quote! {
            #(#docs)*
            #[napi(strict, ts_return_type = #ts_return)]
            pub fn #name<'env>(
                &self,
                env: &'env napi::Env,
                #(#args,)*
                request_options: Option<crate::call::RequestOptions>,
            ) -> napi::Result<napi::bindgen_prelude::PromiseRaw<'env, crate::json::Json>> {
                let call = crate::call::Call::new(request_options)?;
                let core = self.core.clone();
                crate::call::spawn(env, Box::pin(async move {
                    let result = core.#target::<scalekit_core::CamelJson>(#(#arg_names,)* &call.options).await;
                    call.finish(result)
                }))
            }
        });
    }
    Ok(quote! {
        #(#class_attrs)*
        #[napi_derive::napi]
        pub struct #class {
            core: #core,
        }

        impl #class {
            pub fn new(core: #core) -> Self {
                Self { core }
            }
        }

        #[scalekit_derive::js_parameters]
        #[napi_derive::napi]
        impl #class {
            #(#methods)*
        }
    })
}
