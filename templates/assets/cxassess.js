// The language links lead to the page being read, in the other language: the sites of both
// languages share one layout, so the part of the address below this language's root is kept.
// Our partials/alternate.html writes them so already (then `rest` below is empty); this covers
// an engine that does not take Material's partial overrides.
(function () {
  "use strict";
  const links = Array.from(document.querySelectorAll("a.md-select__link[hreflang]"));
  const here = links.find((a) => a.hreflang === document.documentElement.lang);
  if (!here) return;
  const root = here.href; // this language's root, resolved by the browser
  const page = location.href.split("#")[0].split("?")[0];
  if (!page.startsWith(root)) return;
  const rest = page.slice(root.length);
  for (const a of links) {
    if (a !== here) a.href = a.href + rest;
  }
  // Material sends a click on a language link to the page of the same path only when the
  // other site's sitemap lists it, and a sitemap lists pages only with a site_url: without
  // one it would send every page to the other language's home. The link's own address (set
  // above) is followed instead.
  document.addEventListener(
    "click",
    (event) => {
      const target = event.target instanceof Element ? event.target.closest("a") : null;
      if (target && links.includes(target)) event.stopPropagation();
    },
    true,
  );
})();

// Wide tables scroll sideways inside the wrapper Material puts around them: the wrapper takes
// keyboard focus, so the hidden columns can be reached without a mouse.
(function () {
  "use strict";
  const reachable = () => {
    for (const wrap of document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])")) {
      wrap.tabIndex = 0;
    }
  };
  reachable();
  new MutationObserver(reachable).observe(document.body, { childList: true, subtree: true });
})();
