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
        // `actionView($id)` in a `…Controller` class.
        Lang::Php => yii_action_text(text),
        // An `[Http…]` or `[Route]` attribute, or a `…Controller` class.
        Lang::CSharp => any(&["Http", "Route", "Controller"]),
        Lang::Java => any(JAVA_BINDINGS),
        _ => false,
    }
}

/// What [`yii_action`] and a parameter need in the text: a name
/// `action` and a capital as a whole token, declared with a parameter
/// (`(` and not `)` after it, or what the text cannot see past: see
/// `prefilter::call_follows`), and a name ending in `Controller`. A view
/// that reads `$this->action->id` of its `CController` holds neither.
fn yii_action_text(text: &str) -> bool {
    use crate::prefilter::{call_follows, is_word_byte, whole_token};
    let b = text.as_bytes();
    let action = text.match_indices("action").any(|(at, _)| {
        let name = at + "action".len();
        if !b.get(name).is_some_and(u8::is_ascii_uppercase) {
            return false;
        }
        let end = name + b[name..].iter().take_while(|&&c| is_word_byte(c)).count();
        whole_token(b, at, end) && call_follows(b, end)
    });
    // A name ending in `Controller`: no letter, digit or `_` after it.
    action
        && text.match_indices("Controller").any(|(at, _)| {
            let end = at + "Controller".len();
            !b.get(end).is_some_and(|&c| is_word_byte(c))
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use ast_grep_core::tree_sitter::LanguageExt;

    /// Whether the parser sees an action with a parameter in `src`.
    fn parsed(src: &str) -> bool {
        let source = crate::detector::source_text(Lang::Php, src);
        let root = Lang::Php.ast_grep(source.as_ref());
        root.root()
            .dfs()
            .filter(|n| n.kind() == "method_declaration")
            .any(|m| {
                yii_action(&m)
                    && m.field("parameters")
                        .is_some_and(|p| p.named_children().next().is_some())
            })
    }

    #[test]
    fn a_yii_action_with_a_parameter_is_seen_in_the_text() {
        for src in [
            "<?php class ReportController extends C { public function actionView($id) {} }",
            "<?php\nclass ReportController\n{\n  function actionView(\n    $id\n  ) {}\n}",
            "<?php class AController { public function &actionView($id) {} }",
            "<?php class AController { public function actionView /* x */ ($id) {} }",
            "<?php class AController { public function actionView(int $id = 1) {} }",
        ] {
            assert!(parsed(src), "the parser sees none in {src:?}");
            assert!(may_bind_input(Lang::Php, src), "{src:?}");
        }
        for src in [
            // A view: its controller's action, no action method.
            "<?php echo $this->action->id; /* CController */ ?>",
            "<?php class ReportController { public function actionIndex() {} }",
            "<?php class ReportController { public function transactionView($id) {} }",
            "<?php class Report { public function actionView($id) {} }",
            "<?php class ControllerBase { public function actionView($id) {} }",
        ] {
            assert!(!parsed(src), "the parser sees one in {src:?}");
            assert!(!may_bind_input(Lang::Php, src), "{src:?}");
        }
    }
}
