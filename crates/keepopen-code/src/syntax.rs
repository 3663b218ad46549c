//! What the value-following needs to know of each grammar: which nodes
//! are constant strings, which are the dynamic parts inside a string,
//! which calls build strings, which nodes assign, which open a function's
//! scope, and which expressions are input (a request parameter, a
//! command-line argument). Data, one table per language.

use crate::lang::Lang;

/// An assignment node: the field holding its target, and the one holding
/// its value (`None`: the last named child).
pub struct Assign {
    pub kind: &'static str,
    pub target: &'static str,
    pub value: Option<&'static str>,
}

pub struct Syntax {
    /// String literals; constant unless they hold an interpolation.
    pub strings: &'static [&'static str],
    /// The dynamic parts inside a string (`{x}` in an f-string).
    pub interpolations: &'static [&'static str],
    /// Does `$name` inside a string's text interpolate (Kotlin's short
    /// form, which its grammar leaves as plain string content)?
    pub dollar_names: bool,
    /// Numbers, booleans, null.
    pub constants: &'static [&'static str],
    pub identifiers: &'static [&'static str],
    /// Member and element access (`a.b`, `a[b]`): input when their object
    /// is, else unknown.
    pub accesses: &'static [&'static str],
    /// The objects whose members are the program's own state (`self`).
    pub selves: &'static [&'static str],
    /// Calls, and the field naming what is called.
    pub calls: &'static [(&'static str, &'static str)],
    /// Calls that build a string from their arguments, by the callee's
    /// last name.
    pub formatters: &'static [&'static str],
    /// Nodes that open a scope: assignments are looked up within the
    /// nearest one, then in the file.
    pub functions: &'static [&'static str],
    pub assignments: &'static [Assign],
    /// Input from a request, by how the expression starts.
    pub sources: &'static [&'static str],
    /// Command-line arguments and standard input: not constant, but typed
    /// by whoever runs the program, who could run anything already; so
    /// they count as a built value, not as a request's input.
    pub arguments: &'static [&'static str],
    /// Parts of input the server writes itself: an upload's temporary
    /// path (`$_FILES['f']['tmp_name']`), its size.
    pub server_made: &'static [&'static str],
}

const fn a(kind: &'static str, target: &'static str, value: &'static str) -> Assign {
    Assign {
        kind,
        target,
        value: Some(value),
    }
}

const fn last(kind: &'static str, target: &'static str) -> Assign {
    Assign {
        kind,
        target,
        value: None,
    }
}

static PYTHON: Syntax = Syntax {
    strings: &["string", "concatenated_string"],
    interpolations: &["interpolation"],
    dollar_names: false,
    constants: &["integer", "float", "true", "false", "none"],
    identifiers: &["identifier"],
    accesses: &["attribute", "subscript"],
    selves: &["self", "cls"],
    calls: &[("call", "function")],
    formatters: &["format", "format_map", "join", "Template", "substitute"],
    functions: &["function_definition", "lambda"],
    assignments: &[
        a("assignment", "left", "right"),
        a("augmented_assignment", "left", "right"),
        a("named_expression", "name", "value"),
    ],
    sources: &[
        "request.args",
        "request.form",
        "request.values",
        "request.json",
        "request.get_json",
        "request.data",
        "request.files",
        "request.cookies",
        "request.headers",
        "request.GET",
        "request.POST",
        "request.query_params",
        "request.path_params",
        "request.body",
        "self.request.GET",
        "self.request.POST",
    ],
    arguments: &["sys.argv", "input("],
    server_made: SERVER_MADE,
};

static JAVASCRIPT: Syntax = Syntax {
    strings: &["string", "template_string"],
    interpolations: &["template_substitution"],
    dollar_names: false,
    constants: &["number", "true", "false", "null", "undefined", "regex"],
    identifiers: &["identifier"],
    accesses: &["member_expression", "subscript_expression"],
    selves: &["this"],
    calls: &[
        ("call_expression", "function"),
        ("new_expression", "constructor"),
    ],
    formatters: &["concat", "join", "format", "replace"],
    functions: &[
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
    ],
    assignments: &[
        a("variable_declarator", "name", "value"),
        a("assignment_expression", "left", "right"),
        a("augmented_assignment_expression", "left", "right"),
    ],
    sources: &[
        "req.query",
        "req.body",
        "req.params",
        "req.headers",
        "req.cookies",
        "req.param(",
        "request.query",
        "request.body",
        "request.params",
        "ctx.query",
        "ctx.request",
        "location.",
        "window.location",
        "document.location",
        "document.URL",
        "document.referrer",
        "window.name",
        "new URLSearchParams(",
    ],
    arguments: &["process.argv"],
    server_made: SERVER_MADE,
};

static PHP: Syntax = Syntax {
    strings: &["string", "encapsed_string", "heredoc", "nowdoc"],
    interpolations: &[
        "variable_name",
        "member_access_expression",
        "subscript_expression",
        "dynamic_variable_name",
    ],
    dollar_names: false,
    constants: &[
        "integer",
        "float",
        "boolean",
        "null",
        "class_constant_access_expression",
    ],
    identifiers: &["variable_name"],
    accesses: &["member_access_expression", "subscript_expression"],
    selves: &["$this", "self", "static", "parent"],
    calls: &[
        ("function_call_expression", "function"),
        ("member_call_expression", "name"),
        ("scoped_call_expression", "name"),
    ],
    formatters: &[
        "sprintf",
        "vsprintf",
        "implode",
        "join",
        "str_replace",
        "strtr",
    ],
    functions: &[
        "function_definition",
        "method_declaration",
        "anonymous_function",
        "arrow_function",
    ],
    assignments: &[
        a("assignment_expression", "left", "right"),
        a("augmented_assignment_expression", "left", "right"),
    ],
    sources: &[
        "$_GET",
        "$_POST",
        "$_REQUEST",
        "$_COOKIE",
        "$_FILES",
        "$_SERVER['QUERY_STRING']",
        "$_SERVER['REQUEST_URI']",
        "$_SERVER[\"QUERY_STRING\"]",
        "$_SERVER[\"REQUEST_URI\"]",
        "$_SERVER['PHP_SELF']",
        "Yii::app()->request->getParam(",
        "Yii::app()->request->getQuery(",
        "Yii::app()->request->getPost(",
        "$request->get(",
        "$request->getPost(",
        "$request->getQuery(",
        "$request->getParam(",
        "Yii::app()->request->getRequiredParam(",
        "$this->getRequest()->",
        "$request->input(",
        "$request->query(",
        "$this->request->",
        "filter_input(",
    ],
    arguments: &["$argv"],
    server_made: SERVER_MADE,
};

static R: Syntax = Syntax {
    strings: &["string"],
    interpolations: &[],
    dollar_names: false,
    constants: &[
        "float", "integer", "complex", "true", "false", "null", "na", "inf", "nan",
    ],
    identifiers: &["identifier"],
    accesses: &["extract_operator", "subset", "subset2"],
    selves: &[],
    calls: &[("call", "function")],
    formatters: &[
        "paste",
        "paste0",
        "sprintf",
        "glue",
        "str_c",
        "str_glue",
        "stri_paste",
        "format",
    ],
    functions: &["function_definition"],
    assignments: &[a("binary_operator", "lhs", "rhs")],
    sources: &["input$", "input[[", "Sys.getenv(\"QUERY_STRING"],
    arguments: &["commandArgs(", "readline(", "readLines(\"stdin\""],
    server_made: SERVER_MADE,
};

static CSHARP: Syntax = Syntax {
    strings: &[
        "string_literal",
        "verbatim_string_literal",
        "raw_string_literal",
        "interpolated_string_expression",
    ],
    interpolations: &["interpolation"],
    dollar_names: false,
    constants: &[
        "integer_literal",
        "real_literal",
        "boolean_literal",
        "null_literal",
        "character_literal",
    ],
    identifiers: &["identifier"],
    accesses: &["member_access_expression", "element_access_expression"],
    selves: &["this"],
    calls: &[("invocation_expression", "function")],
    formatters: &[
        "Format",
        "Concat",
        "Join",
        "Append",
        "AppendFormat",
        "Replace",
    ],
    functions: &[
        "method_declaration",
        "constructor_declaration",
        "local_function_statement",
        "lambda_expression",
        "anonymous_method_expression",
    ],
    assignments: &[
        last("variable_declarator", "name"),
        a("assignment_expression", "left", "right"),
    ],
    sources: &[
        "Request.Query",
        "Request.Form",
        "Request.QueryString",
        "Request.Params",
        "Request.Headers",
        "Request.Cookies",
        "Request.RouteValues",
        "Request[",
        "HttpContext.Request.",
    ],
    arguments: &["args[", "Console.ReadLine("],
    server_made: SERVER_MADE,
};

static JAVA: Syntax = Syntax {
    strings: &["string_literal", "text_block"],
    interpolations: &[],
    dollar_names: false,
    constants: &[
        "decimal_integer_literal",
        "hex_integer_literal",
        "decimal_floating_point_literal",
        "true",
        "false",
        "null_literal",
        "character_literal",
    ],
    identifiers: &["identifier"],
    accesses: &["field_access", "array_access"],
    selves: &["this"],
    calls: &[("method_invocation", "name")],
    formatters: &["format", "formatted", "concat", "join", "append", "replace"],
    functions: &[
        "method_declaration",
        "constructor_declaration",
        "lambda_expression",
    ],
    assignments: &[
        a("variable_declarator", "name", "value"),
        a("assignment_expression", "left", "right"),
    ],
    sources: &[
        "request.getParameter(",
        "request.getHeader(",
        "request.getQueryString(",
        "request.getCookies(",
        "req.getParameter(",
    ],
    arguments: &["args[", "System.getenv("],
    server_made: SERVER_MADE,
};

static GO: Syntax = Syntax {
    strings: &["interpreted_string_literal", "raw_string_literal"],
    interpolations: &[],
    dollar_names: false,
    constants: &[
        "int_literal",
        "float_literal",
        "true",
        "false",
        "nil",
        "rune_literal",
    ],
    identifiers: &["identifier"],
    accesses: &["selector_expression", "index_expression"],
    selves: &[],
    calls: &[("call_expression", "function")],
    formatters: &[
        "Sprintf",
        "Sprint",
        "Sprintln",
        "Join",
        "Replace",
        "ReplaceAll",
    ],
    functions: &["function_declaration", "method_declaration", "func_literal"],
    assignments: &[
        a("short_var_declaration", "left", "right"),
        a("assignment_statement", "left", "right"),
        a("var_spec", "name", "value"),
    ],
    sources: &[
        "r.URL.Query(",
        "r.URL.RawQuery",
        "r.URL.Path",
        "r.FormValue(",
        "r.PostFormValue(",
        "r.Form",
        "r.Header.Get(",
        "req.URL.Query(",
        "req.FormValue(",
        "c.Query(",
        "c.Param(",
        "c.PostForm(",
    ],
    arguments: &["os.Args"],
    server_made: SERVER_MADE,
};

const SERVER_MADE: &[&str] = &[
    "tmp_name",
    "['size']",
    "['error']",
    ".size",
    ".content_type",
];

static KOTLIN: Syntax = Syntax {
    strings: &["string_literal", "multiline_string_literal"],
    interpolations: &["interpolation"],
    dollar_names: true,
    constants: &[
        "integer_literal",
        "long_literal",
        "real_literal",
        "boolean_literal",
        "null",
        "character_literal",
    ],
    identifiers: &["identifier"],
    accesses: &["navigation_expression", "index_expression"],
    selves: &["this"],
    calls: &[("call_expression", "")],
    formatters: &["format", "plus", "joinToString", "buildString"],
    functions: &[
        "function_declaration",
        "lambda_literal",
        "anonymous_function",
    ],
    // `val q = …`: the target is the first named child (its name, less
    // any type).
    assignments: &[
        last("property_declaration", ""),
        a("assignment", "left", "right"),
    ],
    sources: &[
        "request.getParameter(",
        "call.parameters[",
        "call.receive",
        "intent.getStringExtra(",
        "intent.data",
        "uri.getQueryParameter(",
    ],
    arguments: &["args["],
    server_made: SERVER_MADE,
};

/// Shell: rules match commands; no value is followed.
static BASH: Syntax = Syntax {
    strings: &["raw_string"],
    interpolations: &[],
    dollar_names: false,
    constants: &["number"],
    identifiers: &[],
    accesses: &[],
    selves: &[],
    calls: &[],
    formatters: &[],
    functions: &["function_definition"],
    assignments: &[],
    sources: &[],
    arguments: &[],
    server_made: SERVER_MADE,
};

/// HCL: the configuration rules match attributes; no value is followed.
static HCL: Syntax = Syntax {
    strings: &["string_lit", "template_expr", "heredoc_template"],
    interpolations: &["template_interpolation"],
    dollar_names: false,
    constants: &["numeric_lit", "bool_lit", "null_lit"],
    identifiers: &["variable_expr"],
    accesses: &["get_attr", "index"],
    selves: &[],
    calls: &[("function_call", "name")],
    formatters: &["format", "join"],
    functions: &[],
    assignments: &[],
    sources: &[],
    arguments: &[],
    server_made: SERVER_MADE,
};

impl Lang {
    pub fn syntax(self) -> &'static Syntax {
        match self {
            Lang::Python => &PYTHON,
            Lang::JavaScript | Lang::TypeScript | Lang::Tsx => &JAVASCRIPT,
            Lang::Php => &PHP,
            Lang::R => &R,
            Lang::CSharp => &CSHARP,
            Lang::Java => &JAVA,
            Lang::Go => &GO,
            Lang::Kotlin => &KOTLIN,
            Lang::Bash => &BASH,
            Lang::Hcl => &HCL,
        }
    }
}
