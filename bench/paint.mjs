// First paint of a file in headless Chromium (Debian's, through
// playwright-core from tests/browser/node_modules): median of N cold loads.
//   node bench/paint.mjs FILE [N] [CHROMIUM]
// Prints JSON: first-contentful-paint, largest-contentful-paint,
// DOMContentLoaded and load, in milliseconds from navigation start.
import { createRequire } from "node:module";
const require = createRequire(new URL("../tests/browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const [file, n = "5", exe = "/usr/lib/chromium/chromium"] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: exe, args: ["--no-sandbox", "--disable-gpu"] });
const runs = [];
for (let i = 0; i < Number(n); i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("file://" + file, { waitUntil: "load", timeout: 120000 });
  runs.push(await page.evaluate(() => new Promise((resolve) => {
    const nav = performance.getEntriesByType("navigation")[0];
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    let lcp = null;
    new PerformanceObserver((l) => { const e = l.getEntries(); lcp = e[e.length - 1].startTime; })
      .observe({ type: "largest-contentful-paint", buffered: true });
    setTimeout(() => resolve({
      fcp: fcp ? fcp.startTime : null, lcp,
      dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
    }), 200);
  })));
  await context.close();
}
await browser.close();
const median = (k) => {
  const xs = runs.map((r) => r[k]).filter((x) => x !== null).sort((a, b) => a - b);
  return xs.length ? xs[Math.floor(xs.length / 2)] : null;
};
console.log(JSON.stringify({ runs, median: { fcp: median("fcp"), lcp: median("lcp"), dcl: median("dcl"), load: median("load") } }));
