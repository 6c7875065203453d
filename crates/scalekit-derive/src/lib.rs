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
        let FieldAttributes { omit_none, helper } = field_attributes(field)?;
        if omit_none && !is_option(&field.ty) {
            return Err(syn::Error::new_spanned(&field.ty, "skip_serializing_if = \"Option::is_none\" needs an Option field"));
        }
        // The transcoder reads every counter leniently (number, numeric string or null),
        // which is what `lenient_u32` does and a plain `u32` does not.
        let ty = &field.ty;
        let counter = quote!(#ty).to_string().split(|c: char| !c.is_alphanumeric()).any(|t| t == "u32");
        match (helper.as_deref(), counter) {
            (Some("lenient_u32"), true) if matches!(&field.ty, Type::Path(p) if p.path.is_ident("u32")) => {}
            (Some("lenient_u32"), _) => return Err(syn::Error::new_spanned(&field.ty, "lenient_u32 needs a plain u32 field")),
            (_, true) => return Err(syn::Error::new_spanned(&field.ty, "u32 fields need deserialize_with = \"lenient_u32\"")),
            _ => {}
        }
        // `null` reads as the default only through these helpers; elsewhere serde rejects it.
        let null_as_default = helper.is_some();
        let js = camel_case(&ident);
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

struct FieldAttributes {
    /// `skip_serializing_if = "Option::is_none"`.
    omit_none: bool,
    /// The `deserialize_with` helper, one of those the transcoder models.
    helper: Option<String>,
}

fn field_attributes(field: &syn::Field) -> syn::Result<FieldAttributes> {
    let mut attributes = FieldAttributes { omit_none: false, helper: None };
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let name = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            let value = if meta.input.peek(syn::Token![=]) { Some(meta.value()?.parse::<LitStr>()?.value()) } else { None };
            match (name.as_str(), value) {
                ("skip_serializing_if", Some(v)) if v == "Option::is_none" => attributes.omit_none = true,
                ("deserialize_with", Some(v)) if v == "null_as_default" || v == "lenient_u32" => attributes.helper = Some(v),
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
