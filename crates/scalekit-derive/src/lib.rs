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
        let omit_none = field_attributes(field)?;
        if omit_none && !is_option(&field.ty) {
            return Err(syn::Error::new_spanned(&field.ty, "skip_serializing_if = \"Option::is_none\" needs an Option field"));
        }
        let js = camel_case(&ident);
        let ty = &field.ty;
        fields.push(quote! {
            crate::wire::Field {
                wire: #ident,
                js: #js,
                shape: &<#ty as crate::wire::WireShape>::SHAPE,
                omit_none: #omit_none,
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

/// Returns whether the field is left out when `None`. `deserialize_with` helpers
/// that read `null` as the default are what the transcoder does for every field.
fn field_attributes(field: &syn::Field) -> syn::Result<bool> {
    let mut omit_none = false;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let value: LitStr = meta.value()?.parse()?;
            if meta.path.is_ident("skip_serializing_if") && value.value() == "Option::is_none" {
                omit_none = true;
                Ok(())
            } else if meta.path.is_ident("deserialize_with") && matches!(value.value().as_str(), "null_as_default" | "lenient_u32") {
                Ok(())
            } else {
                Err(meta.error("field attribute not supported by WireShape"))
            }
        })?;
    }
    Ok(omit_none)
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
