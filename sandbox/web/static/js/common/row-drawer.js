/**
 * The create/edit drawer of a table's rows: the Supplier page's tabs (Address, Site, Contact)
 * and the purchase order's Schedules and Distributions tabs (Edit Schedule, Edit Distribution).
 *
 * A drawer has one observable per field. openNew() fills them with the defaults, openEdit(row)
 * from a table row; OK checks the fields inline (JET validation) and then saves through the
 * spec's save(body, row) — a POST for a new row, a PATCH for an edited one — and calls
 * onSaved() so the page reloads the supplier. A server refusal shows in the error dialog with
 * the drawer left open as typed.
 *
 *   new RowDrawer({
 *     formId: 'sbx-address-form',           // the element whose fields are validated
 *     fields: { AddressName: '', ... },      // field name → value for a new row
 *     fromRow: function (row) { return {...} },       // field values for an edited row
 *     toBody: function (values, row) { return {...} }, // the REST body from the values
 *     save: function (body, row) { return promise },   // POST or PATCH
 *     onSaved: function () { return promise }          // reload the page's data
 *   });
 */
define(['knockout', 'common/forms', 'common/messages', 'common/popups'],
function (ko, forms, messages, popups) {
  'use strict';

  function RowDrawer(spec) {
    var self = this;
    this.spec = spec;
    this.opened = ko.observable(false);
    this.row = ko.observable(null); // the row being edited; null while creating one
    this.isNew = ko.pureComputed(function () { return self.row() === null; });
    this.values = {};
    Object.keys(spec.fields).forEach(function (name) {
      self.values[name] = ko.observable(spec.fields[name]);
    });
    this.saving = false;
    popups.busyWhileOpening(this.opened, spec.formId);

    this.openNew = function () {
      self.row(null);
      self.fill(spec.fields);
      self.opened(true);
    };
    this.openEdit = function (row) {
      self.row(row);
      self.fill(spec.fromRow(row));
      self.opened(true);
    };
    this.ok = function () {
      return self.save();
    };
    this.cancel = function () {
      self.opened(false);
    };
  }

  RowDrawer.prototype.fill = function (values) {
    var self = this;
    Object.keys(this.values).forEach(function (name) {
      var value = values[name];
      self.values[name](value === undefined ? self.spec.fields[name] : value);
    });
  };

  RowDrawer.prototype.current = function () {
    var self = this;
    var values = {};
    Object.keys(this.values).forEach(function (name) {
      values[name] = self.values[name]();
    });
    return values;
  };

  RowDrawer.prototype.save = function () {
    var self = this;
    if (self.saving) {
      return Promise.resolve();
    }
    return forms.validateAll(document.getElementById(self.spec.formId)).then(function (valid) {
      if (!valid) {
        return null;
      }
      self.saving = true;
      var row = self.row();
      return Promise.resolve(self.spec.save(self.spec.toBody(self.current(), row), row))
        .then(function () {
          self.opened(false);
          return self.spec.onSaved();
        });
    }).catch(messages.showError).then(function () {
      self.saving = false;
    });
  };

  return RowDrawer;
});
