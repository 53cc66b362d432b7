/**
 * Starts a page: the shared message areas, the global header, then the page's own view model.
 *
 * A page module (static/js/pages/<name>.js) returns { create: function () { return vm; } },
 * optionally with `shell: false` (the sign-in page has no header). The view model is bound to
 * the page's #sbx-page element; if it has load(), that runs next (its REST calls are busy
 * states) and a failure shows in the error dialog. `document.body.dataset.page` is set once the
 * bindings are applied, which is the signal the bots (and tests) wait for with the BusyContext.
 */
define(['knockout', 'ojs/ojbootstrap', 'common/messages', 'common/shell', 'ojs/ojknockout'],
  function (ko, Bootstrap, messages, shell) {
    'use strict';

    function start(name, pageModule) {
      return Bootstrap.whenDocumentReady().then(function () {
        messages.mount();
        var shellHost = document.getElementById('sbx-shell');
        var shellReady = pageModule.shell !== false && shellHost
          ? shell.render(shellHost).catch(messages.showError)
          : Promise.resolve();

        var vm = pageModule.create();
        ko.applyBindings(vm, document.getElementById('sbx-page'));
        document.body.dataset.page = name;

        var loaded = typeof vm.load === 'function'
          ? Promise.resolve(vm.load()).catch(messages.showError)
          : Promise.resolve();
        return Promise.all([shellReady, loaded]);
      });
    }

    return { start: start };
  });
