/**
 * Federated sign-in: only "Company Single Sign-On" (id ssoBtn). A real tenant's button sends the
 * browser to the company's identity provider; here it leads to /signin/sso, which says the
 * sandbox has none. The page to return to is passed on, as an identity provider would get it.
 */
define(['ojs/ojknockout', 'oj-c/button'], function () {
  'use strict';

  function create() {
    return {
      singleSignOn: function () {
        var redirect = new URLSearchParams(window.location.search).get('redirect');
        window.location.assign('/signin/sso' +
          (redirect ? '?redirect=' + encodeURIComponent(redirect) : ''));
      }
    };
  }

  return { shell: false, create: create };
});
