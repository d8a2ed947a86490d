package serve

// ipcJS rebuilds window.go.<pkg>.<Service>.<Method>(...) over POST /call, so
// code written for the Wails desktop bridge runs unchanged in a browser.
// __BINDINGS__ is replaced by the {pkg: {Service: [methods]}} tree.
const ipcJS = `(function () {
  "use strict";
  var bindings = __BINDINGS__;
  function call(name, args) {
    return fetch("/call", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: name, args: args })
    }).then(function (res) {
      return res.json().then(function (body) {
        if (body && typeof body.error === "string") { throw body.error; }
        return body ? body.result : undefined;
      });
    });
  }
  var go = window.go = window.go || {};
  Object.keys(bindings).forEach(function (pkg) {
    go[pkg] = go[pkg] || {};
    Object.keys(bindings[pkg]).forEach(function (svc) {
      var obj = go[pkg][svc] = go[pkg][svc] || {};
      bindings[pkg][svc].forEach(function (m) {
        var full = pkg + "." + svc + "." + m;
        obj[m] = function () { return call(full, Array.prototype.slice.call(arguments)); };
      });
    });
  });
  window.__territoriaBrowserMode = true;
})();
`

// runtimeJS provides the part of the Wails runtime the page uses: events
// (over Server-Sent Events), logging to the console, and a few window calls
// that have a browser meaning.
const runtimeJS = `(function () {
  "use strict";
  var listeners = {};
  function on(name, cb, max) {
    var l = { cb: cb, left: max > 0 ? max : -1 };
    (listeners[name] = listeners[name] || []).push(l);
    return function () {
      var a = listeners[name] || [];
      var i = a.indexOf(l);
      if (i >= 0) { a.splice(i, 1); }
    };
  }
  function dispatch(name, data) {
    var a = (listeners[name] || []).slice();
    a.forEach(function (l) {
      try { l.cb.apply(null, data || []); } catch (e) { console.error(e); }
      if (l.left > 0 && --l.left === 0) {
        var cur = listeners[name] || [];
        var i = cur.indexOf(l);
        if (i >= 0) { cur.splice(i, 1); }
      }
    });
  }
  var es;
  function connect() {
    es = new EventSource("/events");
    es.onmessage = function (m) {
      try { var ev = JSON.parse(m.data); dispatch(ev.name, ev.data); } catch (e) { console.error(e); }
    };
  }
  connect();
  function log(level) {
    return function (msg) { console[level]("[territoria]", msg); };
  }
  window.runtime = {
    EventsOnMultiple: on,
    EventsOn: function (name, cb) { return on(name, cb, -1); },
    EventsOnce: function (name, cb) { return on(name, cb, 1); },
    EventsOff: function () {
      Array.prototype.slice.call(arguments).forEach(function (n) { delete listeners[n]; });
    },
    EventsOffAll: function () { listeners = {}; },
    EventsEmit: function (name) {
      var data = Array.prototype.slice.call(arguments, 1);
      dispatch(name, data);
      fetch("/emit", { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: name, data: data }) });
    },
    LogPrint: log("log"), LogTrace: log("debug"), LogDebug: log("debug"), LogInfo: log("info"),
    LogWarning: log("warn"), LogError: log("error"), LogFatal: log("error"),
    WindowSetTitle: function (t) { document.title = t; },
    WindowReload: function () { location.reload(); },
    BrowserOpenURL: function (u) { window.open(u, "_blank", "noopener"); },
    Environment: function () { return Promise.resolve({ buildType: "production", platform: "browser", arch: "" }); },
    Quit: function () {}
  };
})();
`
