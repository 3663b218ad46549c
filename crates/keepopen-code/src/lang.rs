//! The languages the code rules read: which files are which, the grammar
//! from crates.io that parses each, and how a rule's pattern is written in
//! it (ast-grep's `$X` metavariables, spelled `µX` where `$` is not an
//! identifier character).

use ast_grep_core::matcher::PatternBuilder;
use ast_grep_core::tree_sitter::{LanguageExt, StrDoc, TSLanguage};
use ast_grep_core::{Language, Pattern, PatternError};
use serde::Deserialize;
use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Python,
    JavaScript,
    TypeScript,
    Tsx,
    Php,
    R,
    CSharp,
    Java,
    Go,
    Kotlin,
    Bash,
    /// Terraform and other HCL: the configuration rules read it.
    Hcl,
}

impl Lang {
    pub const ALL: [Lang; 12] = [
        Lang::Python,
        Lang::JavaScript,
        Lang::TypeScript,
        Lang::Tsx,
        Lang::Php,
        Lang::R,
        Lang::CSharp,
        Lang::Java,
        Lang::Go,
        Lang::Kotlin,
        Lang::Bash,
        Lang::Hcl,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Python => "python",
            Lang::JavaScript => "javascript",
            Lang::TypeScript => "typescript",
            Lang::Tsx => "tsx",
            Lang::Php => "php",
            Lang::R => "r",
            Lang::CSharp => "csharp",
            Lang::Java => "java",
            Lang::Go => "go",
            Lang::Kotlin => "kotlin",
            Lang::Bash => "bash",
            Lang::Hcl => "hcl",
        }
    }

    /// The language of a file, by its extension.
    pub fn of_path(path: &str) -> Option<Lang> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            // A notebook's kernel may say R: see `notebook`.
            "py" | "pyw" | "ipynb" => Lang::Python,
            "js" | "mjs" | "cjs" | "jsx" => Lang::JavaScript,
            "ts" | "mts" | "cts" => Lang::TypeScript,
            "tsx" => Lang::Tsx,
            "php" | "phtml" => Lang::Php,
            "r" => Lang::R,
            "cs" => Lang::CSharp,
            "java" => Lang::Java,
            "go" => Lang::Go,
            "kt" | "kts" => Lang::Kotlin,
            "sh" | "bash" => Lang::Bash,
            "tf" | "hcl" | "tfvars" => Lang::Hcl,
            _ => return None,
        })
    }

    /// The languages a rule written for `self` also applies to: a
    /// JavaScript pattern parses as TypeScript and TSX too.
    pub fn family(self) -> &'static [Lang] {
        match self {
            Lang::JavaScript => &[Lang::JavaScript, Lang::TypeScript, Lang::Tsx],
            Lang::Python => &[Lang::Python],
            Lang::TypeScript => &[Lang::TypeScript, Lang::Tsx],
            Lang::Tsx => &[Lang::Tsx],
            Lang::Php => &[Lang::Php],
            Lang::R => &[Lang::R],
            Lang::CSharp => &[Lang::CSharp],
            Lang::Java => &[Lang::Java],
            Lang::Go => &[Lang::Go],
            Lang::Kotlin => &[Lang::Kotlin],
            Lang::Bash => &[Lang::Bash],
            Lang::Hcl => &[Lang::Hcl],
        }
    }

    fn grammar(self) -> tree_sitter_language::LanguageFn {
        match self {
            Lang::Python => tree_sitter_python::LANGUAGE,
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE,
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT,
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX,
            // PHP without the HTML around it: templates are blanked to
            // their PHP first (see `php`), and patterns need no `<?php`.
            Lang::Php => tree_sitter_php::LANGUAGE_PHP_ONLY,
            Lang::R => tree_sitter_r::LANGUAGE,
            Lang::CSharp => tree_sitter_c_sharp::LANGUAGE,
            Lang::Java => tree_sitter_java::LANGUAGE,
            Lang::Go => tree_sitter_go::LANGUAGE,
            Lang::Kotlin => tree_sitter_kotlin_ng::LANGUAGE,
            Lang::Bash => tree_sitter_bash::LANGUAGE,
            Lang::Hcl => tree_sitter_hcl::LANGUAGE,
        }
    }

    /// What a metavariable's `$` becomes before a pattern is parsed, where
    /// `$` cannot start an identifier (or, in R and PHP, means something).
    fn expando(self) -> char {
        match self {
            Lang::Python
            | Lang::Php
            | Lang::R
            | Lang::CSharp
            | Lang::Go
            | Lang::Hcl
            | Lang::Kotlin => 'µ',
            Lang::JavaScript | Lang::TypeScript | Lang::Tsx | Lang::Java | Lang::Bash => '$',
        }
    }
}

impl Language for Lang {
    fn kind_to_id(&self, kind: &str) -> u16 {
        self.get_ts_language().id_for_node_kind(kind, true)
    }

    fn field_to_id(&self, field: &str) -> Option<u16> {
        self.get_ts_language()
            .field_id_for_name(field)
            .map(|f| f.get())
    }

    fn expando_char(&self) -> char {
        self.expando()
    }

    fn pre_process_pattern<'q>(&self, query: &'q str) -> Cow<'q, str> {
        if self.expando() == '$' {
            Cow::Borrowed(query)
        } else {
            Cow::Owned(expand(self.expando(), query))
        }
    }

    fn build_pattern(&self, builder: &PatternBuilder) -> Result<Pattern, PatternError> {
        builder.build(|src| StrDoc::try_new(src, *self))
    }
}

impl LanguageExt for Lang {
    fn get_ts_language(&self) -> TSLanguage {
        self.grammar().into()
    }
}

/// `$A`, `$$A`, `$_` and `$$$` spelled with `expando`; any other `$` (PHP's
/// `$x`, R's `df$col`) left as it is. As ast-grep's own languages do.
fn expand(expando: char, query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut dollars = 0;
    for c in query.chars() {
        if c == '$' {
            dollars += 1;
            continue;
        }
        let meta = c.is_ascii_uppercase() || c == '_' || dollars == 3;
        let sigil = if meta { expando } else { '$' };
        out.extend(std::iter::repeat_n(sigil, dollars));
        dollars = 0;
        out.push(c);
    }
    let sigil = if dollars == 3 { expando } else { '$' };
    out.extend(std::iter::repeat_n(sigil, dollars));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_extension() {
        assert_eq!(Lang::of_path("app/views.py"), Some(Lang::Python));
        assert_eq!(Lang::of_path("src/App.TSX"), Some(Lang::Tsx));
        assert_eq!(Lang::of_path("analysis/model.R"), Some(Lang::R));
        assert_eq!(
            Lang::of_path("protected/controllers/A.php"),
            Some(Lang::Php)
        );
        assert_eq!(Lang::of_path("infra/main.tf"), Some(Lang::Hcl));
        assert_eq!(Lang::of_path("app/src/main/Db.kt"), Some(Lang::Kotlin));
        assert_eq!(Lang::of_path("scripts/deploy.sh"), Some(Lang::Bash));
        assert_eq!(Lang::of_path("README.md"), None);
        assert_eq!(Lang::of_path("Makefile"), None);
    }

    #[test]
    fn metavariables_are_spelled_for_the_grammar() {
        assert_eq!(expand('µ', "$C.execute($Q, $$$)"), "µC.execute(µQ, µµµ)");
        assert_eq!(
            expand('µ', "mysqli_query($conn, $Q)"),
            "mysqli_query($conn, µQ)"
        );
        assert_eq!(expand('µ', "df$col"), "df$col");
    }

    #[test]
    fn every_grammar_loads() {
        for lang in Lang::ALL {
            assert!(lang.get_ts_language().node_kind_count() > 10, "{lang:?}");
        }
    }
}
