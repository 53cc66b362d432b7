/**
 * Form helpers shared by the pages' drawers.
 */
define(['ojs/ojcontext'], function (Context) {
  'use strict';

  var FIELDS = 'oj-c-input-text, oj-c-input-number, oj-c-input-date-text, oj-c-input-password, ' +
    'oj-c-select-single, oj-c-text-area';

  /**
   * Run JET validation on every field inside `container` (required, ranges, custom
   * validators); the fields show their own inline messages. Resolves true when all are valid.
   * The page is busy meanwhile: validation takes a few tasks, and a drawer's OK must not look
   * finished (BusyContext idle) before its save has even started.
   */
  function validateAll(container) {
    var done = Context.getPageContext().getBusyContext()
      .addBusyState({ description: 'Validating ' + (container.id || 'a form') });
    var fields = Array.prototype.slice.call(container.querySelectorAll(FIELDS));
    return Promise.all(fields.map(function (field) {
      return typeof field.validate === 'function' ? field.validate() : 'valid';
    })).then(function (results) {
      return results.every(function (r) { return r === 'valid'; });
    }).finally(done);
  }

  /** A JET validator: the number must be greater than zero. */
  function greaterThanZero(label) {
    return {
      validate: function (value) {
        if (value !== null && value !== undefined && !(Number(value) > 0)) {
          throw new Error(label + ' must be greater than zero.');
        }
      },
      getHint: function () { return null; }
    };
  }

  return { validateAll: validateAll, greaterThanZero: greaterThanZero };
});
