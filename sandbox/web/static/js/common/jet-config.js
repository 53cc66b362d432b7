/**
 * The one RequireJS configuration every sandbox page loads, right after require.js.
 *
 * JET comes from the npm packages the sandbox serves under /sandbox/jet/ (never a CDN), so the
 * paths below are npm package paths. Page code lives under /sandbox/static/js/: shared modules
 * as 'common/<name>', page modules as 'pages/<name>'.
 *
 * A page starts itself with:  <script>sandboxStart('purchase-orders');</script>
 * which loads 'pages/purchase-orders' through 'common/page' (see README.md in sandbox/web).
 * A page whose module has another name passes it second: sandboxStart('signin', 'signin-sso').
 */
/* global requirejs, require */
(function () {
  'use strict';

  var JET = '@oracle/oraclejet/dist/js/libs/';

  requirejs.config({
    baseUrl: '/sandbox/jet',
    // ~700 small modules load on a cold cache; a slow test machine must not time them out.
    waitSeconds: 120,
    paths: {
      ojs: JET + 'oj/min',
      ojL10n: JET + 'oj/ojL10n',
      ojtranslations: JET + 'oj/resources',
      touchr: JET + 'touchr/touchr',
      ojdnd: JET + 'dnd-polyfill/dnd-polyfill-1.0.2.min',
      knockout: 'knockout/build/output/knockout-latest',
      jquery: 'jquery/dist/jquery.min',
      'jqueryui-amd': 'jquery-ui/ui',
      text: 'requirejs-text/text',
      hammerjs: 'hammerjs/hammer.min',
      signals: 'signals/dist/signals.min',
      css: 'require-css/css.min',
      'css-builder': 'require-css/css-builder',
      normalize: 'require-css/normalize',
      '@oracle/oraclejet-preact': '@oracle/oraclejet-preact/amd',
      preact: 'preact/dist/preact.umd',
      'preact/hooks': 'preact/hooks/dist/hooks.umd',
      'preact/compat': 'preact/compat/dist/compat.umd',
      'preact/jsx-runtime': 'preact/jsx-runtime/dist/jsxRuntime.umd',
      'oj-c': '@oracle/oraclejet-core-pack/oj-c/min',
      common: '/sandbox/static/js/common',
      pages: '/sandbox/static/js/pages'
    },
    shim: { jquery: { exports: ['jQuery', '$'] } },
    config: {
      // Same-origin templates: always XHR, never the .js fallback.
      text: { useXhr: function () { return true; } }
    }
  });

  /** A page that cannot start says so on screen (and to a bot, in data-start-error). */
  function showStartError(err) {
    var text = String((err && err.message) || err);
    document.body.setAttribute('data-start-error', text);
    var note = document.createElement('p');
    note.className = 'sbx-start-error';
    note.setAttribute('role', 'alert');
    note.textContent = 'This page could not start: ' + text;
    document.body.insertBefore(note, document.body.firstChild);
  }

  /**
   * The UI variant's wording of JET's own texts (e.g. legacy JET's "No matches found", without
   * the Core Pack's full stop): JET's translation bundle for the Core Pack components, loaded
   * from the installed packages as always, with those entries replaced. It must be registered
   * before the first oj-c component module loads, since the first loader registered wins.
   */
  function overrideJetTranslations(overrides, bundleUtils, preactBundle) {
    var names = Object.keys(overrides);
    if (!names.length) {
      return;
    }
    var load = preactBundle.default;
    bundleUtils.registerTranslationBundleLoaders({
      '@oracle/oraclejet-preact': function (locale) {
        return load(locale).then(function (bundle) {
          var merged = Object.assign({}, bundle);
          names.forEach(function (name) {
            merged[name] = function () { return overrides[name]; };
          });
          return merged;
        });
      }
    });
  }

  /**
   * Load a page module and start it. The page-level busy state is registered before anything
   * else loads, so a bot polling BusyContext.isReady() cannot see "ready" while JET modules are
   * still arriving. `moduleName` (default: the page's name) is the module under pages/.
   */
  window.sandboxStart = function (pageName, moduleName) {
    require(['ojs/ojcontext'], function (Context) {
      var busy = Context.getPageContext().getBusyContext();
      var done = busy.addBusyState({ description: 'Loading page ' + pageName });
      var failed = function (err) {
        done();
        showStartError(err);
      };
      require(['common/ui', 'ojs/ojtranslationbundleutils',
        '@oracle/oraclejet-preact/translationBundle'],
      function (ui, bundleUtils, preactBundle) {
        overrideJetTranslations(ui.jetTranslations(), bundleUtils, preactBundle);
        require(['common/page', 'pages/' + (moduleName || pageName)], function (page, pageModule) {
          page.start(pageName, pageModule).then(done, failed);
        }, failed);
      }, failed);
    }, showStartError);
  };
}());
