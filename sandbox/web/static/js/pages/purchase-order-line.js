/**
 * The line drawer of the purchase order page ("Add line"; named by the UI variant).
 *
 * Choosing an Item fills Description, Category, UOM (and Price, when still empty) from the
 * item, as Fusion does. Ship-to Location starts as the order's default ship-to and Deliver-to
 * Location follows Ship-to until the user picks another one. Quantity and Price must be
 * greater than zero (inline JET messages). OK posts the line with its one schedule and one
 * distribution to draftPurchaseOrders/<id>/child/lines; a refusal or a server error shows in
 * the error dialog and the drawer stays open with everything the user typed.
 */
define(['knockout', 'ojs/ojarraydataprovider', 'common/rest', 'common/lov', 'common/forms',
  'common/messages', 'common/ui'],
function (ko, ArrayDataProvider, rest, lov, forms, messages, ui) {
  'use strict';

  var LINE_TYPES = ['Goods', 'Services'];

  function AddLineDrawer(options) {
    var self = this;
    this.headerId = options.headerId;
    this.order = options.order;
    this.onSaved = options.onSaved;
    this.saving = false;

    this.opened = ko.observable(false);
    this.lineType = ko.observable('Goods');
    this.itemId = ko.observable(null);
    this.description = ko.observable('');
    this.categoryId = ko.observable(null);
    this.quantity = ko.observable(null);
    this.uomCode = ko.observable(null);
    this.price = ko.observable(null);
    this.needByDate = ko.observable(null);
    this.shipToLocationId = ko.observable(null);
    this.chargeAccount = ko.observable('');
    this.deliverToLocationId = ko.observable(null);
    this.requesterId = ko.observable(null);

    this.lineTypes = new ArrayDataProvider(
      LINE_TYPES.map(function (t) { return { value: t, label: t }; }), { keyAttributes: 'value' });
    this.lovs = {
      items: lov.create('items'),
      categories: lov.create('categories'),
      uoms: lov.create('uoms'),
      shipTo: lov.create('locations'),
      deliverTo: lov.create('locations'),
      requesters: lov.create('persons')
    };
    this.quantityValidators = [forms.greaterThanZero('Quantity')];
    // Named as the field is labelled in this UI variant ("Price" / "Unit Price").
    this.priceValidators = [forms.greaterThanZero(ui.text('po.line.price'))];

    this.itemId.subscribe(function (itemId) {
      if (itemId !== null && itemId !== undefined) {
        self.fillFromItem(itemId);
      }
    });
    // Deliver-to follows Ship-to while the two are the same (the user has not chosen another).
    var lastShipTo = null;
    this.shipToLocationId.subscribe(function (shipTo) {
      var deliverTo = self.deliverToLocationId();
      if (deliverTo === null || deliverTo === lastShipTo) {
        self.deliverToLocationId(shipTo);
      }
      lastShipTo = shipTo;
    });

    this.open = function () {
      self.reset();
      self.opened(true);
    };
    this.cancel = function () {
      self.opened(false);
    };
    this.submit = function () {
      return self.save();
    };
  }

  AddLineDrawer.prototype.reset = function () {
    var order = this.order() || {};
    this.lineType('Goods');
    this.itemId(null);
    this.description('');
    this.categoryId(null);
    this.quantity(null);
    this.uomCode(null);
    this.price(null);
    this.needByDate(null);
    this.deliverToLocationId(null);
    this.shipToLocationId(order.ShipToLocationId || null);
    this.chargeAccount('');
    this.requesterId(null);
  };

  /** Default Description, Category, UOM and Price from the chosen item. */
  AddLineDrawer.prototype.fillFromItem = function (itemId) {
    var self = this;
    return this.lovs.items.fetchByKeys({ keys: new Set([itemId]) }).then(function (found) {
      var hit = found.results.get(itemId);
      if (!hit || self.itemId() !== itemId) {
        return;
      }
      var item = hit.data;
      self.description(item.ItemDescription || '');
      self.categoryId(item.ItemCategoryId === undefined ? null : item.ItemCategoryId);
      self.uomCode(item.PrimaryUOMCode || null);
      if (self.price() === null || self.price() === undefined) {
        self.price(item.ListPrice === undefined ? null : item.ListPrice);
      }
    }).catch(messages.showError);
  };

  AddLineDrawer.prototype.body = function () {
    var quantity = this.quantity();
    var distribution = {
      DistributionNumber: 1,
      Quantity: quantity,
      POChargeAccount: (this.chargeAccount() || '').trim(),
      DeliverToLocationId: this.deliverToLocationId() || this.shipToLocationId()
    };
    if (this.requesterId() !== null) {
      distribution.RequesterId = this.requesterId();
    }
    var line = {
      LineType: this.lineType(),
      Description: (this.description() || '').trim(),
      CategoryId: this.categoryId(),
      Quantity: quantity,
      UOMCode: this.uomCode(),
      Price: this.price(),
      schedules: [{
        ScheduleNumber: 1,
        Quantity: quantity,
        NeedByDate: this.needByDate(),
        ShipToLocationId: this.shipToLocationId(),
        DestinationTypeCode: 'EXPENSE',
        distributions: [distribution]
      }]
    };
    if (this.itemId() !== null) {
      line.ItemId = this.itemId();
    }
    return line;
  };

  AddLineDrawer.prototype.save = function () {
    var self = this;
    if (self.saving) {
      return Promise.resolve();
    }
    return forms.validateAll(document.getElementById('sbx-add-line')).then(function (valid) {
      if (!valid) {
        return null;
      }
      self.saving = true;
      var path = 'draftPurchaseOrders/' + encodeURIComponent(self.headerId) + '/child/lines';
      return rest.post(path, self.body()).then(function () {
        self.opened(false);
        return self.onSaved();
      });
    }).catch(messages.showError).then(function () {
      self.saving = false;
    });
  };

  return AddLineDrawer;
});
