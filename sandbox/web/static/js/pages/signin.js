/**
 * Sign In: "User name or email", "Password", "Sign In" (IDCS-like). Posts the form to
 * POST /signin with username, password and redirect (the page to return to, from the URL).
 */
define(['knockout', 'ojs/ojknockout', 'oj-c/input-text', 'oj-c/input-password', 'oj-c/button',
  'oj-c/form-layout'],
function (ko) {
  'use strict';

  /** What the field shows now, even if the user has not left it yet (no commit on blur). */
  function typed(id, committed) {
    var field = document.getElementById(id);
    var raw = field && field.rawValue;
    return raw !== undefined && raw !== null ? String(raw) : committed || '';
  }

  function create() {
    var vm = { username: ko.observable(''), password: ko.observable('') };
    var form = document.querySelector('form[data-signin]');
    var submitting = false;

    vm.signIn = function () {
      if (submitting) {
        return;
      }
      var username = typed('sbx-signin-username', vm.username()).trim();
      var password = typed('sbx-signin-password', vm.password());
      if (!username || !password) {
        // Let JET show its inline "required" messages on the empty fields.
        document.getElementById('sbx-signin-username').validate();
        document.getElementById('sbx-signin-password').validate();
        return;
      }
      var redirect = new URLSearchParams(window.location.search).get('redirect') || '';
      form.elements.username.value = username;
      form.elements.password.value = password;
      form.elements.redirect.value = redirect;
      submitting = true;
      form.submit();
    };

    // JET's button renders a native <button>, which would submit the form as it stands (empty
    // hidden fields): only signIn() submits it, through form.submit(), which fires no event.
    form.addEventListener('submit', function (event) {
      event.preventDefault();
    });
    // Enter in either field signs in, as on any sign-in form.
    form.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') {
        event.preventDefault();
        vm.signIn();
      }
    });
    return vm;
  }

  return { shell: false, create: create };
});
