/*
 * 供电服务投诉工单系统 — ECharts glue (CSP-safe, no inline script).
 *
 * Load after vendor/echarts/echarts.min.js (use {% include "partials/echarts_js.html" %}).
 *
 * Markup:
 *   {{ chart_option|json_script:"chart-by-unit" }}
 *   <div data-chart="chart-by-unit" class="chart" aria-label="各单位投诉量"></div>
 *
 * The JSON is a plain ECharts option object plus an optional "links" key:
 *   { "xAxis": {"type": "category", "data": ["城东", "城西"]},
 *     "yAxis": {"type": "value"},
 *     "series": [{"type": "bar", "data": [12, 7]}],
 *     "links": ["/tickets/?unit=1", "/tickets/?unit=2"] }
 * Clicking a data point navigates to links[dataIndex] when present (same-origin
 * URLs only). "links" may also be a list of lists, one per series:
 * links[seriesIndex][dataIndex].
 *
 * JSON cannot carry functions: use ECharts string templates for labels and
 * tooltips, e.g. "formatter": "{b}: {c} 件".
 *
 * Tooltips default to renderMode "richText" (drawn on the canvas) because the
 * HTML tooltip relies on inline style attributes that the CSP blocks.
 *
 * Optional attributes on the container:
 *   data-chart-renderer="svg"   render as SVG instead of canvas (crisper print)
 */
(function () {
  "use strict";

  if (typeof window.echarts === "undefined") {
    if (window.console) console.error("charts.js: echarts.min.js must be loaded first");
    return;
  }
  var echarts = window.echarts;
  var FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  var PALETTE = ["#1f5f7a", "#4a9cc2", "#e0a526", "#5b9a68", "#c0392b", "#7b68a6", "#8c9aa5", "#d17a3a"];
  var instances = [];

  function safeUrl(raw) {
    if (typeof raw !== "string" || !raw) return null;
    try {
      var u = new URL(raw, window.location.href);
      if ((u.protocol === "http:" || u.protocol === "https:") && u.origin === window.location.origin) {
        return u.href;
      }
    } catch (e) { /* ignore bad URLs */ }
    return null;
  }

  function linkFor(links, params) {
    if (!Array.isArray(links) || params.dataIndex == null) return null;
    var first = links[params.seriesIndex];
    if (Array.isArray(first)) return safeUrl(first[params.dataIndex]);
    return safeUrl(links[params.dataIndex]);
  }

  // ECharts' default HTML tooltip builds its content with innerHTML full of
  // style="…" attributes, which a CSP without 'unsafe-inline' in style-src
  // blocks (the tooltip then shows up unstyled). "richText" tooltips are drawn
  // on the chart surface itself and need no inline styles.
  function cspSafeTooltips(option) {
    var tips = option.tooltip;
    if (!tips) return;
    (Array.isArray(tips) ? tips : [tips]).forEach(function (t) {
      if (t && typeof t === "object" && t.renderMode === undefined) t.renderMode = "richText";
    });
  }

  function readOption(el) {
    var id = el.getAttribute("data-chart");
    var script = id ? document.getElementById(id) : null;
    if (!script) {
      if (window.console) console.error("charts.js: no JSON element #" + id);
      return null;
    }
    try {
      return JSON.parse(script.textContent);
    } catch (e) {
      if (window.console) console.error("charts.js: invalid JSON in #" + id, e);
      return null;
    }
  }

  function init(el) {
    if (el.getAttribute("data-chart-ready") === "1" || echarts.getInstanceByDom(el)) return;
    var option = readOption(el);
    if (!option || typeof option !== "object") return;

    var links = option.links;
    delete option.links;
    if (option.animation === undefined) option.animation = false; // calmer, faster on old PCs
    cspSafeTooltips(option);
    // Calm defaults matching app.css; a page's own option always wins.
    if (option.color === undefined) option.color = PALETTE;
    if (option.textStyle === undefined) option.textStyle = { fontFamily: FONT };

    var chart = echarts.init(el, null, {
      renderer: el.getAttribute("data-chart-renderer") === "svg" ? "svg" : "canvas",
      locale: /^en/i.test(document.documentElement.lang || "") ? "EN" : "ZH"
    });
    chart.setOption(option);
    el.setAttribute("data-chart-ready", "1");

    if (Array.isArray(links) && links.length) {
      el.classList.add("chart-linked");
      chart.on("click", function (params) {
        var url = linkFor(links, params);
        if (url) window.location.assign(url);
      });
    }
    instances.push(chart);

    if (typeof ResizeObserver !== "undefined") {
      // Handles containers that start hidden (tabs, collapses) or change width.
      new ResizeObserver(function () {
        if (!chart.isDisposed()) chart.resize();
      }).observe(el);
    }
  }

  function initAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var els = Array.prototype.slice.call(scope.querySelectorAll("[data-chart]"));
    if (scope !== document && scope.hasAttribute && scope.hasAttribute("data-chart")) els.unshift(scope);
    els.forEach(init);
  }

  function resizeAll() {
    instances = instances.filter(function (c) {
      if (c.isDisposed()) return false;
      if (!c.getDom().isConnected) { c.dispose(); return false; } // removed from the page
      return true;
    });
    instances.forEach(function (c) { c.resize(); });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(resizeAll, 150);
  });
  // Re-layout to the paper width when printing the monthly bulletin.
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);

  // htmx: draw charts in swapped-in content, dispose charts being removed.
  document.addEventListener("htmx:load", function (e) {
    if (e.detail && e.detail.elt) initAll(e.detail.elt);
  });
  document.addEventListener("htmx:beforeCleanupElement", function (e) {
    var el = e.detail && e.detail.elt;
    if (el && el.nodeType === 1) {
      var c = echarts.getInstanceByDom(el);
      if (c) c.dispose();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  } else {
    initAll(document);
  }

  window.AppCharts = { initAll: initAll, resizeAll: resizeAll };
})();
