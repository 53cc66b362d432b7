/**
 * The Profile tab of the Supplier page: the supplier's own attributes, read-only until "Edit".
 *
 * Edit makes the Create Supplier fields and Inactive Date editable; Save checks the required
 * fields inline, patches `suppliers/{id}` and reloads; Cancel puts the saved values back. A
 * server refusal (a name or taxpayer ID another supplier has) shows in the error dialog and the
 * page stays in edit mode as typed.
 */
define(['knockout', 'common/rest', 'common/forms', 'common/messages', 'pages/supplier-options'],
function (ko, rest, forms, messages, options) {
  'use strict';

  // What Edit opens up. An emptied field is sent as null, which clears the attribute.
  var EDITABLE = ['Supplier', 'TaxOrganizationType', 'SupplierType', 'BusinessRelationship',
    'TaxpayerCountry', 'TaxpayerId', 'DUNSNumber', 'InactiveDate'];

  /**
   * `page` gives the supplier's REST path (page.path()) and reloads the supplier after a save
   * (page.reload()).
   */
  function SupplierProfile(page) {
    var self = this;
    this.page = page;
    this.editing = ko.observable(false);
    this.saved = {};
    this.values = {};
    EDITABLE.concat(['SupplierNumber', 'StatusText']).forEach(function (name) {
      self.values[name] = ko.observable(null);
    });
    this.choices = {
      taxOrganizationTypes: options.taxOrganizationTypes(),
      supplierTypes: options.supplierTypes(),
      businessRelationships: options.businessRelationships(),
      taxCountries: options.taxCountries()
    };
    this.saving = false;

    this.edit = function () {
      self.editing(true);
    };
    this.cancel = function () {
      self.show(self.saved);
    };
    this.save = function () {
      return self.patch();
    };
  }

  /** Show a freshly loaded supplier (and leave edit mode). */
  SupplierProfile.prototype.show = function (supplier) {
    var self = this;
    this.saved = supplier;
    EDITABLE.forEach(function (name) {
      var value = supplier[name];
      self.values[name](value === undefined || value === null ? null : value);
    });
    this.values.SupplierNumber(supplier.SupplierNumber);
    this.values.StatusText(options.statusText(supplier.Status));
    this.editing(false);
  };

  SupplierProfile.prototype.body = function () {
    var self = this;
    var body = {};
    EDITABLE.forEach(function (name) {
      body[name] = options.textOrNull(self.values[name]());
    });
    return body;
  };

  SupplierProfile.prototype.patch = function () {
    var self = this;
    if (self.saving) {
      return Promise.resolve();
    }
    var form = document.getElementById('sbx-profile-form');
    return forms.validateAll(form).then(function (valid) {
      if (!valid) {
        return null;
      }
      self.saving = true;
      return rest.patch(self.page.path(), self.body()).then(function () {
        return self.page.reload();
      });
    }).catch(messages.showError).then(function () {
      self.saving = false;
    });
  };

  return SupplierProfile;
});
