/**
 * Home (Fusion's FuseWelcome): "Good day, <display name>" and the springboard of work areas.
 */
define(['knockout', 'common/session', 'ojs/ojknockout'], function (ko, session) {
  'use strict';

  function create() {
    var vm = { displayName: ko.observable('') };
    vm.load = function () {
      return session.current().then(function (user) {
        vm.displayName(user.displayName || user.user || '');
      });
    };
    return vm;
  }

  return { create: create };
});
