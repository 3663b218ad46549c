//! Surrounding code for planted lines: real Python from the standard
//! library when it is installed, and generated R, SQL, C# and TypeScript
//! (a few plausible functions each) so files are not trivially short.

use crate::realcode;
use crate::rng::Rng;

use super::people;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Python,
    R,
    Sql,
    CSharp,
    TypeScript,
}

pub const LANGS: &[Lang] = &[
    Lang::Python,
    Lang::R,
    Lang::Sql,
    Lang::CSharp,
    Lang::TypeScript,
];

impl Lang {
    pub fn ext(self) -> &'static str {
        match self {
            Lang::Python => "py",
            Lang::R => "R",
            Lang::Sql => "sql",
            Lang::CSharp => "cs",
            Lang::TypeScript => "ts",
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Lang::Python => "src/analysis",
            Lang::R => "R",
            Lang::Sql => "sql/queries",
            Lang::CSharp => "src/Services",
            Lang::TypeScript => "web/src",
        }
    }

    pub fn comment(self) -> &'static str {
        match self {
            Lang::Python | Lang::R => "#",
            Lang::Sql => "--",
            Lang::CSharp | Lang::TypeScript => "//",
        }
    }
}

const R_FN: &str = "summarise_{w} <- function(df, by = \"{v}\") {
  df |>
    dplyr::group_by(.data[[by]]) |>
    dplyr::summarise(n = dplyr::n(), mean_{v} = mean({v}, na.rm = TRUE)) |>
    dplyr::arrange(dplyr::desc(n))
}

plot_{w} <- function(df) {
  ggplot2::ggplot(df, ggplot2::aes(x = month, y = {v})) +
    ggplot2::geom_line() +
    ggplot2::labs(title = \"{W} by month\")
}
";

const SQL_FN: &str = "WITH {w}_base AS (
    SELECT site_code,
           DATE_TRUNC('month', event_date) AS month,
           COUNT(*) AS {v}_count
    FROM staging.{w}_events
    WHERE event_date >= DATEADD(year, -1, CURRENT_DATE)
    GROUP BY site_code, DATE_TRUNC('month', event_date)
)
SELECT b.site_code, b.month, b.{v}_count, s.site_name
FROM {w}_base AS b
JOIN ref.sites AS s ON s.site_code = b.site_code
ORDER BY b.month, b.site_code;
";

const CS_FN: &str = "    public sealed class {W}Service
    {
        private readonly ILogger<{W}Service> _logger;
        private readonly I{W}Repository _repository;

        public {W}Service(ILogger<{W}Service> logger, I{W}Repository repository)
        {
            _logger = logger;
            _repository = repository;
        }

        public async Task<int> Count{W}Async(string {v}, CancellationToken ct)
        {
            var items = await _repository.ListAsync({v}, ct);
            _logger.LogInformation(\"Found {Count} {v} items\", items.Count);
            return items.Count(i => !string.IsNullOrWhiteSpace(i.Code));
        }
    }
";

const TS_FN: &str = "export interface {W}Row {
  id: string;
  {v}: number;
  updatedAt: string;
}

export async function fetch{W}(client: HttpClient, {v}: string): Promise<{W}Row[]> {
  const res = await client.get<{W}Row[]>(`/api/{w}?{v}=${encodeURIComponent({v})}`);
  return res.data.filter((r) => r.{v} >= 0).sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
}
";

const PY_FN: &str = "def summarise_{w}(rows, key=\"{v}\"):
    \"\"\"Group rows by `key` and count them.\"\"\"
    counts = {}
    for row in rows:
        counts[row[key]] = counts.get(row[key], 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])
";

fn fill(template: &str, rng: &mut Rng) -> String {
    let w = people::word(rng);
    let v = *rng.pick(&["score", "visits", "length", "total", "delay"]);
    let cap = w[..1].to_uppercase() + &w[1..];
    template
        .replace("{w}", w)
        .replace("{W}", &cap)
        .replace("{v}", v)
}

/// Generated code in `lang`, a few functions long.
fn generated(rng: &mut Rng, lang: Lang) -> String {
    let (head, body, tail) = match lang {
        Lang::R => ("library(dplyr)\nlibrary(ggplot2)\n\n", R_FN, ""),
        Lang::Sql => ("-- Monthly activity for the dashboard\n\n", SQL_FN, ""),
        Lang::CSharp => (
            "using System;\nusing System.Linq;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing Microsoft.Extensions.Logging;\n\nnamespace Reporting.Services\n{\n",
            CS_FN,
            "}\n",
        ),
        Lang::TypeScript => ("import type { HttpClient } from \"./http\";\n\n", TS_FN, ""),
        Lang::Python => (
            "\"\"\"Helpers for the reporting pipeline.\"\"\"\n\n",
            PY_FN,
            "",
        ),
    };
    let mut out = head.to_owned();
    for i in 0..rng.range(2, 5) {
        if i > 0 {
            out.push('\n');
        }
        out += &fill(body, rng);
    }
    out + tail
}

/// Code to plant into: a real Python file (name, text) when the standard
/// library is installed, otherwise generated code.
pub struct Filler {
    python: Vec<(String, String)>,
}

impl Filler {
    pub fn new(rng: &mut Rng, n_python: usize) -> Filler {
        let python = realcode::python_files(rng, n_python)
            .into_iter()
            .filter_map(|f| {
                let name = f
                    .path
                    .rsplit('/')
                    .next()?
                    .trim_end_matches(".py")
                    .to_owned();
                Some((name, String::from_utf8(f.content).ok()?))
            })
            .collect();
        Filler { python }
    }

    /// (file stem, code).
    pub fn code(&mut self, rng: &mut Rng, lang: Lang) -> (String, String) {
        if lang == Lang::Python
            && let Some(f) = self.python.pop()
        {
            return f;
        }
        let stem = format!(
            "{}_{}",
            people::word(rng),
            *rng.pick(&["report", "metrics", "pipeline", "queries"])
        );
        (stem, generated(rng, lang))
    }
}

/// Inserts `lines` into `code` at random line boundaries, in order;
/// returns the text and each inserted line's 1-based number.
pub fn splice(rng: &mut Rng, code: &str, lines: &[String]) -> (String, Vec<u32>) {
    let mut out: Vec<String> = code.lines().map(String::from).collect();
    let mut at: Vec<usize> = lines.iter().map(|_| rng.below(out.len() + 1)).collect();
    at.sort_unstable();
    let mut numbers = Vec::new();
    for (k, (pos, line)) in at.iter().zip(lines).enumerate() {
        let i = pos + k;
        out.insert(i, line.clone());
        numbers.push(i as u32 + 1);
    }
    (out.join("\n") + "\n", numbers)
}
