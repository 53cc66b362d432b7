/**
 * The Lines tab's drawer of the purchase order page ("Add line"; named by the UI variant).
 *
 * Only the line's own fields: Line Type, Item, Description, Category, Quantity, UOM, Price.
 * Choosing an Item fills Description, Category, UOM (and Price, when still empty) from the
 * item, as Fusion does. Quantity and Price must be greater than zero (inline JET messages). OK
 * posts the line to draftPurchaseOrders/<id>/child/lines; the server gives it one schedule
 * (ship-to: the order's default ship-to location, no need-by date) and one distribution
 * (deliver-to: the schedule's ship-to, no requester, no charge account), which the Schedules and
 * Distributions tabs edit. A refusal or a server error shows in the error dialog and the drawer
 * stays open with everything the user typed.
 */
define(['knockout', 'ojs/ojarraydataprovider', 'common/rest', 'common/lov', 'common/forms',
  'common/messages', 'common/ui', 'common/popups'],
function (ko, ArrayDataProvider, rest, lov, forms, messages, ui, popups) {
  'use strict';

  var LINE_TYPES = ['Goods', 'Services'];

  function AddLineDrawer(options) {
    var self = this;
    this.headerId = options.headerId;
    this.order = options.order;
    this.onSaved = options.onSaved;
    this.saving = false;

    this.opened = ko.observable(false);
    popups.busyWhileOpening(this.opened, 'sbx-add-line');
    this.lineType = ko.observable('Goods');
    this.itemId = ko.observable(null);
    this.description = ko.observable('');
    this.categoryId = ko.observable(null);
    this.quantity = ko.observable(null);
    this.uomCode = ko.observable(null);
    this.price = ko.observable(null);

    this.lineTypes = new ArrayDataProvider(
      LINE_TYPES.map(function (t) { return { value: t, label: t }; }), { keyAttributes: 'value' });
    this.lovs = {
      items: lov.create('items'),
      categories: lov.create('categories'),
      uoms: lov.create('uoms')
    };
    this.quantityValidators = [forms.greaterThanZero('Quantity')];
    // Named as the field is labelled in this UI variant ("Price" / "Unit Price").
    this.priceValidators = [forms.greaterThanZero(ui.text('po.line.price'))];

    this.itemId.subscribe(function (itemId) {
      if (itemId !== null && itemId !== undefined) {
        self.fillFromItem(itemId);
      }
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
    this.lineType('Goods');
    this.itemId(null);
    this.description('');
    this.categoryId(null);
    this.quantity(null);
    this.uomCode(null);
    this.price(null);
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

  /** The line alone: the server adds its one schedule and one distribution. */
  AddLineDrawer.prototype.body = function () {
    var line = {
      LineType: this.lineType(),
      Description: (this.description() || '').trim(),
      CategoryId: this.categoryId(),
      Quantity: this.quantity(),
      UOMCode: this.uomCode(),
      Price: this.price()
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
