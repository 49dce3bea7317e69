// Package e2e holds the browser tests: Gongkai served on the demo data,
// driven by real headless Chromium (Debian's chromium, through chromedp),
// checked for console errors and, with axe-core from npm, for serious
// accessibility violations, with a screenshot of each page written for
// people to look at. It has no non-test code.
package e2e
