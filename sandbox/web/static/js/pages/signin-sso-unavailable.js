/**
 * The page "Company Single Sign-On" leads to: it only says that single sign-on is not
 * available in the sandbox. A module of its own so the page starts like every other (its name
 * in document.body.dataset.page, JET's BusyContext ready), which is what bots wait for.
 */
define(['ojs/ojknockout'], function () {
  'use strict';

  return { shell: false, create: function () { return {}; } };
});
