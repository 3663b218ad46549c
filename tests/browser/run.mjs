// keepopen's dashboard and HTML report in headless Chromium (Debian's,
// launched by playwright-core: no browser is downloaded). Set up by run.sh:
// a store that a test organisation run filled, the server on it, and the
// report written from it. Each step takes a screenshot into
// $KEEPOPEN_ARTIFACTS; any failed check stops the run with exit 1.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const env = (k) => {
  const v = process.env[k];
  if (!v) { throw new Error(`${k} is not set: run tests/browser/run.sh`); }
  return v;
};
const url = env("KEEPOPEN_URL");
const token = env("KEEPOPEN_TOKEN");
const store = env("KEEPOPEN_STORE");
const org = env("KEEPOPEN_ORG");
const bin = env("KEEPOPEN_BIN");
const reportPath = env("KEEPOPEN_REPORT");
const expected = JSON.parse(readFileSync(env("KEEPOPEN_REPORT_JSON"), "utf8"));
const artifacts = env("KEEPOPEN_ARTIFACTS");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let failures = 0;
let step = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) { failures += 1; }
}
async function shot(page, name) {
  step += 1;
  const file = join(artifacts, `${String(step).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`     screenshot ${file}`);
}
function keepopen(args) {
  try {
    return execFileSync(bin, args, { encoding: "utf8", env: { ...process.env, KEEPOPEN_DB: store } });
  } catch (e) {
    // 1 is "something blocks", not a failure to run.
    if (e.status === 1) { return e.stdout; }
    throw e;
  }
}
async function axe(page, label) {
  // Through the DevTools protocol, which the page's CSP does not govern:
  // the dashboard allows no inline script, rightly.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => await window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
  }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of bad) {
    console.log(`     axe ${v.impact}: ${v.id}: ${v.help} (${v.nodes.length}) e.g. ${v.nodes[0]?.html?.slice(0, 160)}`);
  }
  check(bad.length === 0, `${label}: axe-core finds no serious or critical violation (${result.violations.length} lesser)`);
}

const browser = await chromium.launch({
  executablePath: env("KEEPOPEN_CHROMIUM"),
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const sum = expected.summary;
const rows = expected.repositories;
const blocking = rows.reduce((n, r) => n + (r.findings?.blocking ?? 0), 0);
const total = rows.reduce((n, r) => n + (r.findings?.total ?? 0), 0);
const tool = rows.find((r) => r.path.endsWith("team-a/tool")).path;

try {
  // ---------------------------------------------------------------- report
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requests = [];
    page.on("request", (r) => requests.push(r.url()));
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto("file://" + reportPath);
    check(requests.every((u) => u.startsWith("file://")), `the report fetches nothing (${requests.length} requests, all file://)`);
    check(errors.length === 0, `the report's script runs without error ${errors.join("; ")}`);
    const glance = await page.locator("#glance + p").innerText();
    check(glance.includes(`${sum.repositories} repositories`) && glance.includes(`${total} findings`) && glance.includes(`${blocking} block`),
      `the report's glance matches the store: ${glance}`);
    check(await page.locator("#repositories tbody tr").count() === rows.length, "one table row per repository");
    await page.locator("#filter-text").fill("guidance");
    const shown = await page.locator("#repositories tbody tr:not([hidden])").count();
    check(shown === 1, `filtering the report's table by text shows 1 row (${shown})`);
    await page.locator("#repositories thead button", { hasText: "Blocking" }).click();
    check(await page.locator("#repositories thead th[aria-sort]").count() === 1, "sorting marks the column");
    await page.locator("#filter-text").fill("");
    await shot(page, "report");
    await axe(page, "report");
    const pdf = join(artifacts, "report.pdf");
    await page.pdf({ path: pdf, format: "A4" });
    check(existsSync(pdf), "the report prints to PDF");
    await context.close();
  }

  // ------------------------------------------------------------- dashboard
  const context = await browser.newContext();
  const page = await context.newPage();
  const csp = [];
  page.on("console", (m) => { if (/Content.Security.Policy|Refused to/i.test(m.text())) { csp.push(m.text()); } });
  page.on("pageerror", (e) => csp.push(String(e)));

  await page.goto(url + "/");
  const run = await page.locator("#run").innerText();
  check(run.startsWith(`${sum.repositories} repositories`), `the dashboard's run line matches the store: ${run}`);
  const glance = await page.locator("#glance + p").innerText();
  check(glance.includes(`${total} findings`) && glance.includes(`${blocking} block`), `the dashboard's glance matches the store: ${glance}`);
  const api = await (await page.request.get(url + "/api/summary")).json();
  check(api.repositories === sum.repositories && api.findings === total && api.blocking === blocking,
    `/api/summary matches the store (${api.repositories}, ${api.findings}, ${api.blocking})`);
  await shot(page, "dashboard-organisation");
  await axe(page, "dashboard organisation page");

  // Filter by recommendation on the server.
  const rec = rows.find((r) => r.recommendation === "archive") ? "archive" : rows[0].recommendation;
  const want = rows.filter((r) => r.recommendation === rec).length;
  await page.selectOption("#f-recommendation", rec);
  await page.locator("form[action='/'] button[type=submit]").click();
  await page.waitForURL(/recommendation=/);
  const listed = await page.locator("#repositories tbody tr").count();
  check(listed === want, `filtering by recommendation ${rec} lists ${want} (${listed})`);
  await shot(page, "dashboard-filtered");

  // A write without the token fails.
  const anon = await page.request.post(url + "/api/triage", {
    data: { fingerprint: "x", state: "fixed", reason: "r" }, failOnStatusCode: false,
  });
  check(anon.status() === 401, `a write without the token is refused (${anon.status()})`);

  // Sign in, then triage the secret.
  await page.goto(url + "/login?next=/findings%3Fcategory%3Dsecret");
  await page.fill("#token", token);
  await page.locator("main form button[type=submit]").click();
  await page.waitForURL(/findings/);
  check(await page.locator("text=Sign out").count() === 1, "signed in");
  const forms = page.locator("form.triage");
  check(await forms.count() === api.by_category.secret, `a verdict form per secret finding (${await forms.count()})`);
  const first = forms.first();
  await first.locator("select").selectOption("false-positive");
  await first.locator("input[name=reason]").fill("a test fixture, never deployed");
  await first.locator("button[type=submit]").click();
  await page.waitForLoadState("load");
  await shot(page, "dashboard-triaged");
  await page.reload();
  check(await page.locator("text=false-positive: a test fixture, never deployed").count() === 1, "the verdict persists after a reload");
  const html = keepopen(["report", "--db", store, "--format", "html"]);
  check(html.includes("false-positive: a test fixture, never deployed"), "keepopen report shows the verdict");
  await page.goto(url + "/findings?triage=false-positive");
  check((await page.locator("#found").innerText()).startsWith("1 findings match"), "filtering by triage state finds it");
  await page.goto(url + "/findings?category=secret&severity=critical&triage=untriaged");
  const left = await page.locator("#found").innerText();
  check(/^\d+ findings match/.test(left), `filtering by category, severity and triage: ${left}`);
  await axe(page, "dashboard findings page");

  // With the session's cookie but no CSRF token, a write is refused.
  const forged = await page.request.post(url + "/api/triage", {
    data: { fingerprint: "x", state: "fixed", reason: "r" }, failOnStatusCode: false,
  });
  check(forged.status() === 403, `a signed-in write without its CSRF token is refused (${forged.status()})`);

  // Create an exception on the repository's page.
  await page.goto(url + "/repository?path=" + encodeURIComponent(tool));
  await page.locator("summary", { hasText: "Create an exception" }).click();
  const expires = new Date(Date.now() + 90 * 86400e3).toISOString().slice(0, 10);
  await page.fill("#xn-id", "pilot-config");
  await page.fill("#xn-scope", "config/**");
  await page.fill("#xn-attacker", "an opportunistic scanner of public code");
  await page.fill("#xn-publication_adds", "the hostnames of a pilot's test servers");
  await page.fill("#xn-path_to_harm", "none without the VPN the pilot uses");
  await page.fill("#xn-alternatives", "moving the config out, planned");
  await page.fill("#xn-compensating_controls", "the servers are behind the VPN");
  await page.fill("#xn-approver", "Head of Engineering");
  await page.fill("#xn-expires", expires);
  await page.locator("form[action='/exceptions'] button[type=submit]").click();
  await page.waitForURL(/register/);
  check(await page.locator("h3", { hasText: "pilot-config · active" }).count() === 1, "the new exception shows, active");
  check(existsSync(join(tool, ".keepopen/exceptions/pilot-config.toml")), "its record is in the repository's register");
  await shot(page, "dashboard-exception");

  // Rescan it, following the progress live.
  await page.locator("button", { hasText: "Rescan this repository" }).click();
  await page.waitForURL(/rescans\//);
  await page.waitForSelector("#rescan[data-state=done]", { timeout: 60000 });
  check((await page.locator("#rescan").innerText()).startsWith("done"), "the rescan's progress arrives live and ends done");
  await shot(page, "dashboard-rescan");
  await page.goto(url + "/");
  check(await page.locator("#register ~ table td code", { hasText: "pilot-config" }).count() === 1, "after the rescan the organisation's register holds the exception");
  await shot(page, "dashboard-after-rescan");

  check(csp.length === 0, `no Content-Security-Policy violation or script error ${csp.join("; ")}`);
  await context.close();
} finally {
  await browser.close();
}
writeFileSync(join(artifacts, "result.txt"), failures === 0 ? "passed\n" : `${failures} failed\n`);
if (failures > 0) {
  console.log(`${failures} browser checks failed`);
  process.exit(1);
}
console.log("every browser check passed");
