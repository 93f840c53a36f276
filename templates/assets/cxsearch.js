// The search index (over a megabyte for a Chinese site) is fetched only when the reader opens
// search, not with every page: on a slow connection it otherwise holds up the page itself.
// Material asks for it with an XMLHttpRequest as its bundle runs, so this script is loaded in
// the page's head, before the bundle (templates/overrides/main.html): that one request is held
// back until the search box gets focus or a search key is pressed, then sent as it was. Any
// other request goes out at once.
(function () {
  "use strict";
  const held = [];
  let released = false;
  const send = XMLHttpRequest.prototype.send;
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.cxSearchIndex = /\/search\/search_index\.json(?:$|\?)/.test(String(url));
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.cxSearchIndex && !released) {
      held.push([this, args]);
      return undefined;
    }
    return send.apply(this, args);
  };
  const release = () => {
    if (released) return;
    released = true;
    for (const [request, args] of held.splice(0)) send.apply(request, args);
  };
  const query = () => document.querySelector("[data-md-component=search-query]");
  document.addEventListener("focusin", (event) => {
    if (event.target === query()) release();
  });
  document.addEventListener("pointerdown", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (target && target.closest("label[for=__search], .md-search")) release();
  });
  // Material opens search on "/", "s" and "f"; the box then gets focus, but to be sure:
  document.addEventListener("keydown", (event) => {
    if (["/", "s", "f", "S", "F"].includes(event.key)) release();
  });
  document.addEventListener("change", (event) => {
    if (event.target instanceof Element && event.target.id === "__search") release();
  });
})();
