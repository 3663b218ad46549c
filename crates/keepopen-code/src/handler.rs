//! Request handlers, whose parameters are input: a Flask or FastAPI view
//! (`@app.route("/p/<pid>")` binds `pid` from the URL), a Yii controller's
//! `actionView($id)` (bound from the query string), an ASP.NET controller
//! action, a Spring method's `@RequestParam`.

use crate::flow::N;
use crate::lang::Lang;

/// Annotations that bind a Spring or JAX-RS parameter from the request.
const JAVA_BINDINGS: &[&str] = &[
    "@RequestParam",
    "@PathVariable",
    "@RequestBody",
    "@RequestHeader",
    "@QueryParam",
    "@PathParam",
];

/// What a Flask, FastAPI or Django REST view's decorator says.
const PYTHON_VIEWS: &[&str] = &[
    ".route(", "api_view", ".get(", ".post(", ".put(", ".patch(", ".delete(",
];

/// Can any parameter in `text` be a handler's input? Each test in
/// [`input_parameter`] needs text of its own in the file (a decorator, an
/// annotation, a `Controller` class): without it, none is. Kept beside
/// those tests so that the two change together.
pub fn may_bind_input(lang: Lang, text: &str) -> bool {
    let any = |marks: &[&str]| marks.iter().any(|m| text.contains(m));
    match lang {
        Lang::Python => any(PYTHON_VIEWS),
        // `actionView` in a `…Controller` class.
        Lang::Php => text.contains("action") && text.contains("Controller"),
        // An `[Http…]` or `[Route]` attribute, or a `…Controller` class.
        Lang::CSharp => any(&["Http", "Route", "Controller"]),
        Lang::Java => any(JAVA_BINDINGS),
        _ => false,
    }
}

/// Is `name` a parameter of `function`, and is it input there?
pub fn input_parameter(function: &N<'_>, name: &str) -> bool {
    let lang = *function.lang();
    let Some(param) = parameter(function, name) else {
        return false;
    };
    match lang {
        Lang::Python => python_view(function),
        Lang::Php => yii_action(function),
        Lang::CSharp => aspnet_action(function),
        Lang::Java => {
            let text = param.text();
            JAVA_BINDINGS.iter().any(|a| text.contains(a))
        }
        _ => false,
    }
}

/// The parameter of `function` that declares `name`.
fn parameter<'r>(function: &N<'r>, name: &str) -> Option<N<'r>> {
    let params = function.field("parameters")?;
    let identifiers = function.lang().syntax().identifiers;
    params.named_children().find(|p| {
        p.dfs()
            .any(|n| identifiers.contains(&n.kind().as_ref()) && n.text() == name)
    })
}

fn python_view(function: &N<'_>) -> bool {
    let Some(decorated) = function
        .parent()
        .filter(|p| p.kind() == "decorated_definition")
    else {
        return false;
    };
    decorated
        .named_children()
        .filter(|d| d.kind() == "decorator")
        .any(|d| {
            let t = d.text();
            PYTHON_VIEWS.iter().any(|m| t.contains(m))
        })
}

/// `public function actionView($id)` in a `…Controller` class.
fn yii_action(function: &N<'_>) -> bool {
    let Some(name) = function.field("name") else {
        return false;
    };
    let name = name.text();
    let action = name
        .strip_prefix("action")
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_ascii_uppercase());
    action && in_class_ending(function, "Controller")
}

/// A method with an `[Http…]` or `[Route]` attribute, or a public method
/// of a `…Controller` class.
fn aspnet_action(function: &N<'_>) -> bool {
    let attributes = function
        .named_children()
        .filter(|c| c.kind() == "attribute_list")
        .any(|a| a.text().contains("Http") || a.text().contains("Route"));
    let public = function
        .named_children()
        .any(|c| c.kind() == "modifier" && c.text() == "public");
    attributes || (public && in_class_ending(function, "Controller"))
}

fn in_class_ending(function: &N<'_>, suffix: &str) -> bool {
    function
        .ancestors()
        .find(|a| a.kind() == "class_declaration")
        .and_then(|c| c.field("name"))
        .is_some_and(|n| n.text().ends_with(suffix))
}
