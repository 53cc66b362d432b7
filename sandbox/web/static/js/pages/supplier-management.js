/**
 * The Supplier Management landing page: a heading and its quick actions (plain links). A module
 * of its own so the page starts like every other (its name in document.body.dataset.page,
 * JET's BusyContext ready), which is what bots wait for.
 */
define(['ojs/ojknockout'], function () {
  'use strict';

  return { create: function () { return {}; } };
});
