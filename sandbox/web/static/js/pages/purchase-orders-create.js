/**
 * The create drawer of the Purchase Orders page ("New purchase order"; named by the UI variant).
 *
 * Oracle's eight fields, each a list of values searched on the server as the user types:
 * Document Style, Procurement BU, Requisitioning BU, Supplier, Supplier Site, Supplier Contact,
 * Currency, Default Ship-to Location. Supplier Site is re-queried whenever Supplier or
 * Procurement BU changes (only sites usable on an order for that BU are offered) and Supplier
 * Contact whenever Supplier changes. Requisitioning BU follows Procurement BU until the user
 * picks another; Document Style and Currency start with Fusion's usual defaults. Create posts
 * the header to draftPurchaseOrders (the order is Incomplete and already has its number) and
 * opens the order page. What is left empty the server defaults: the default ship-to location
 * from the requisitioning BU, the buyer from the signed-in user.
 *
 * The Supplier list's option text follows the UI variant (common/ui): the supplier's name, or
 * "name number" as Fusion's multi-column rows read in redwood-alt.
 */
define(['knockout', 'ojs/ojcontext', 'common/rest', 'common/lov', 'common/forms',
  'common/messages', 'common/ui', 'common/popups'],
function (ko, Context, rest, lov, forms, messages, ui, popups) {
  'use strict';

  var DEFAULT_STYLE = 'Standard Purchase Order';
  var DEFAULT_CURRENCY = 'GBP';

  function CreateOrderDrawer() {
    var self = this;
    this.opened = ko.observable(false);
    popups.busyWhileOpening(this.opened, 'sbx-create-order');
    this.documentStyleId = ko.observable(null);
    this.procurementBUId = ko.observable(null);
    this.requisitioningBUId = ko.observable(null);
    this.supplierId = ko.observable(null);
    this.supplierSiteId = ko.observable(null);
    this.supplierContactId = ko.observable(null);
    this.currencyCode = ko.observable(null);
    this.shipToLocationId = ko.observable(null);
    this.saving = false;

    this.lovs = {
      documentStyles: lov.create('documentStyles'),
      procurementBUs: lov.create('procurementBUs'),
      requisitioningBUs: lov.create('requisitioningBUs'),
      suppliers: lov.create('suppliers', { optionText: ui.text('po.create.supplier_option') }),
      supplierSites: lov.dependent('supplierSites', function () {
        return { SupplierId: self.supplierId(), ProcurementBUId: self.procurementBUId() };
      }),
      supplierContacts: lov.dependent('supplierContacts', function () {
        return { SupplierId: self.supplierId() };
      }),
      currencies: lov.create('currencies'),
      locations: lov.create('locations')
    };

    // A site or contact chosen for another supplier (or BU) is no longer valid.
    this.supplierId.subscribe(function () {
      self.supplierSiteId(null);
      self.supplierContactId(null);
    });
    var lastProcurementBU = null;
    this.procurementBUId.subscribe(function (bu) {
      self.supplierSiteId(null);
      var req = self.requisitioningBUId();
      if (req === null || req === lastProcurementBU) {
        self.requisitioningBUId(bu);
      }
      lastProcurementBU = bu;
    });

    this.open = function () {
      self.reset();
      self.opened(true);
      return self.applyDefaults();
    };
    this.cancel = function () {
      self.opened(false);
    };
    this.submit = function () {
      return self.create();
    };
  }

  CreateOrderDrawer.prototype.reset = function () {
    this.documentStyleId(null);
    this.procurementBUId(null);
    this.requisitioningBUId(null);
    this.supplierId(null);
    this.supplierSiteId(null);
    this.supplierContactId(null);
    this.currencyCode(null);
    this.shipToLocationId(null);
  };

  CreateOrderDrawer.prototype.applyDefaults = function () {
    var self = this;
    self.currencyCode(DEFAULT_CURRENCY);
    return lov.findByText('documentStyles', DEFAULT_STYLE).then(function (style) {
      if (style && self.documentStyleId() === null) {
        self.documentStyleId(style.DocumentStyleId);
      }
    }).catch(messages.showError);
  };

  CreateOrderDrawer.prototype.body = function () {
    var body = {
      DocumentStyleId: this.documentStyleId(),
      ProcurementBUId: this.procurementBUId(),
      RequisitioningBUId: this.requisitioningBUId(),
      SupplierId: this.supplierId(),
      SupplierSiteId: this.supplierSiteId(),
      SupplierContactId: this.supplierContactId(),
      CurrencyCode: this.currencyCode(),
      ShipToLocationId: this.shipToLocationId()
    };
    // Leave out what the user did not choose: the server applies Fusion's defaults.
    Object.keys(body).forEach(function (k) {
      if (body[k] === null || body[k] === undefined || body[k] === '') {
        delete body[k];
      }
    });
    return body;
  };

  CreateOrderDrawer.prototype.create = function () {
    var self = this;
    if (self.saving) {
      return Promise.resolve();
    }
    var form = document.getElementById('sbx-create-order');
    return forms.validateAll(form).then(function (valid) {
      if (!valid) {
        return null;
      }
      self.saving = true;
      return rest.post('draftPurchaseOrders', self.body()).then(function (order) {
        // Stay busy until the order page replaces this one.
        Context.getPageContext().getBusyContext()
          .addBusyState({ description: 'Opening purchase order ' + order.OrderNumber });
        window.location.assign(ui.path('purchaseOrder', order.POHeaderId));
      });
    }).catch(function (err) {
      self.saving = false;
      messages.showError(err);
    });
  };

  return CreateOrderDrawer;
});
