/**
 * The "Create Supplier" drawer of the Suppliers page.
 *
 * Supplier, Tax Organization Type and Business Relationship are required (checked inline by
 * JET); Tax Organization Type, Business Relationship and Tax Country start with Fusion's usual
 * defaults. The server enforces the rules (unique name and taxpayer ID, a 9-digit D-U-N-S
 * number) and its message shows in the error dialog with the drawer left as typed. Create posts
 * to `suppliers` and opens the new supplier's page.
 */
define(['knockout', 'ojs/ojcontext', 'common/rest', 'common/forms', 'common/messages',
  'pages/supplier-options', 'common/popups'],
function (ko, Context, rest, forms, messages, options, popups) {
  'use strict';

  var SUPPLIER_PAGE = '/fscmUI/redwood/suppliers/';

  function CreateSupplierDrawer() {
    var self = this;
    this.opened = ko.observable(false);
    popups.busyWhileOpening(this.opened, 'sbx-create-supplier');
    this.supplier = ko.observable('');
    this.taxOrganizationType = ko.observable(null);
    this.supplierType = ko.observable(null);
    this.businessRelationship = ko.observable(null);
    this.taxCountry = ko.observable(null);
    this.taxpayerId = ko.observable('');
    this.duns = ko.observable('');
    this.saving = false;

    this.open = function () {
      self.reset();
      self.opened(true);
    };
    this.cancel = function () {
      self.opened(false);
    };
    this.submit = function () {
      return self.create();
    };
  }

  CreateSupplierDrawer.prototype.reset = function () {
    this.supplier('');
    this.taxOrganizationType(options.DEFAULT_TAX_ORGANIZATION_TYPE);
    this.supplierType(null);
    this.businessRelationship(options.DEFAULT_BUSINESS_RELATIONSHIP);
    this.taxCountry(options.DEFAULT_COUNTRY_NAME);
    this.taxpayerId('');
    this.duns('');
  };

  CreateSupplierDrawer.prototype.body = function () {
    var body = {
      Supplier: options.textOrNull(this.supplier()),
      TaxOrganizationType: this.taxOrganizationType(),
      SupplierType: this.supplierType(),
      BusinessRelationship: this.businessRelationship(),
      TaxpayerCountry: this.taxCountry(),
      TaxpayerId: options.textOrNull(this.taxpayerId()),
      DUNSNumber: options.textOrNull(this.duns())
    };
    // Leave out what the user did not give: the server applies Fusion's defaults.
    Object.keys(body).forEach(function (k) {
      if (body[k] === null || body[k] === undefined) {
        delete body[k];
      }
    });
    return body;
  };

  CreateSupplierDrawer.prototype.create = function () {
    var self = this;
    if (self.saving) {
      return Promise.resolve();
    }
    var form = document.getElementById('sbx-create-supplier');
    return forms.validateAll(form).then(function (valid) {
      if (!valid) {
        return null;
      }
      self.saving = true;
      return rest.post('suppliers', self.body()).then(function (supplier) {
        // Stay busy until the supplier page replaces this one.
        Context.getPageContext().getBusyContext()
          .addBusyState({ description: 'Opening supplier ' + supplier.Supplier });
        window.location.assign(SUPPLIER_PAGE + supplier.SupplierId);
      });
    }).catch(function (err) {
      self.saving = false;
      messages.showError(err);
    });
  };

  return CreateSupplierDrawer;
});
