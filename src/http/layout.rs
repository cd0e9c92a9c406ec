//! What the page frame (`base.html`) of every page needs.

/// What the page frame (`base.html`) shows: who is logged in, the logout form's token, and
/// the demo banner.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub user: Option<LayoutUser>,
    pub csrf: String,
    pub demo: bool,
}

#[derive(Debug, Clone)]
pub struct LayoutUser {
    pub username: String,
    pub role_label: &'static str,
    pub scope_name: String,
    pub is_admin: bool,
    pub sees_audit: bool,
}
