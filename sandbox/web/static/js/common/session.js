/**
 * Who is signed in: GET /sandbox/session → {"user", "displayName"}, fetched once per page.
 * Goes through rest.js, so it is a busy state and a lost session leads to the sign-in page.
 */
define(['common/rest'], function (rest) {
  'use strict';

  var current = null;

  return {
    current: function () {
      if (!current) {
        current = rest.get('/sandbox/session');
      }
      return current;
    }
  };
});
