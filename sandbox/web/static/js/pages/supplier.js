/**
 * Supplier page (/fscmUI/redwood/suppliers/{SupplierId}): heading "Supplier: <name>" and the tabs
 * Profile, Addresses, Sites and Contacts (pages/supplier-profile.js, -addresses.js, -sites.js,
 * -contacts.js). The heading and the Profile tab's name are the UI variant's (common/ui:
 * "Supplier Profile: <name>" and "Organization Details" in redwood-alt).
 *
 * The supplier is read in one call with its children expanded, and read again after every save,
 * so all tabs always show what the server holds. Only the selected tab is in the page, so a
 * label such as "Inactive Date" (Profile and Site) or "Address Name" (Addresses and Sites)
 * names one field at a time.
 *
 * Change control (the sandbox's supplier_change_control): the server holds a save as a pending
 * change request instead of applying it, and the page still shows the approved supplier. A
 * supplier with a pending request shows "Pending change request CR-…" under its heading; a save
 * that made or added to one confirms "Change request CR-… was submitted for approval." (toast and
 * role=status), seen by comparing the pending request before and after the reload.
 */
define(['knockout', 'common/rest', 'common/ui', 'common/messages', 'pages/supplier-options',
  'pages/supplier-profile',
  'pages/supplier-addresses', 'pages/supplier-sites', 'pages/supplier-contacts',
  'ojs/ojknockout', 'oj-c/button', 'oj-c/input-text', 'oj-c/input-date-text',
  'oj-c/select-single', 'oj-c/checkboxset', 'oj-c/form-layout', 'oj-c/table',
  'oj-c/tab-bar', 'oj-c/badge', 'oj-c/drawer-popup'],
function (ko, rest, ui, messages, options, SupplierProfile, AddressesTab, SitesTab,
  ContactsTab) {
  'use strict';

  var EXPAND = 'addresses,sites.assignments,contacts,changeRequests';
  var PENDING = 'PENDING';

  /** The SupplierId is the last segment of the page's path (kept as text: it is 15 digits). */
  function supplierIdFromUrl() {
    var parts = window.location.pathname.split('/').filter(Boolean);
    return decodeURIComponent(parts[parts.length - 1] || '');
  }

  function itemsOf(child) {
    return (child && child.items) || [];
  }

  /** The supplier's pending change request (one at most), or null. */
  function pendingRequestOf(supplier) {
    return itemsOf(supplier.changeRequests).filter(function (r) {
      return r.Status === PENDING;
    })[0] || null;
  }

  /** What identifies a pending request as last changed: a save that added to it changes it. */
  function stamp(request) {
    return request ? request.ChangeRequestNumber + '@' + request.LastUpdateDate : '';
  }

  function create() {
    var vm = {};
    var supplierId = supplierIdFromUrl();
    var page = {
      path: function () { return 'suppliers/' + encodeURIComponent(supplierId); },
      // After a save: under change control the save may have become a change request.
      reload: function () {
        var before = stamp(vm.pendingRequest());
        return vm.load().then(function () {
          var now = vm.pendingRequest();
          if (now && stamp(now) !== before) {
            messages.confirm('Change request ' + now.ChangeRequestNumber +
              ' was submitted for approval.');
          }
        });
      }
    };

    vm.supplier = ko.observable(null);
    vm.pendingRequest = ko.observable(null);
    vm.pendingNumber = ko.pureComputed(function () {
      var request = vm.pendingRequest();
      return request ? request.ChangeRequestNumber : '';
    });
    vm.loaded = ko.pureComputed(function () { return vm.supplier() !== null; });
    vm.heading = ko.pureComputed(function () {
      var s = vm.supplier();
      return s ? ui.text('supplier.heading', { name: s.Supplier }) : 'Supplier';
    });
    vm.number = ko.pureComputed(function () {
      return vm.supplier() ? vm.supplier().SupplierNumber : '';
    });
    vm.relationship = ko.pureComputed(function () {
      return vm.supplier() ? vm.supplier().BusinessRelationship : '';
    });
    vm.status = ko.pureComputed(function () {
      return vm.supplier() ? options.statusText(vm.supplier().Status) : '';
    });
    vm.statusVariant = ko.pureComputed(function () {
      return vm.status() === 'Inactive' ? 'neutral' : 'success';
    });

    vm.tabs = [
      { itemKey: 'profile', label: ui.text('supplier.profile_tab') },
      { itemKey: 'addresses', label: 'Addresses' },
      { itemKey: 'sites', label: 'Sites' },
      { itemKey: 'contacts', label: 'Contacts' }
    ];
    vm.tab = ko.observable('profile');

    vm.profile = new SupplierProfile(page);
    vm.addresses = new AddressesTab(page);
    vm.sites = new SitesTab(page);
    vm.contacts = new ContactsTab(page);

    vm.load = function () {
      return rest.get(page.path(), { expand: EXPAND, onlyData: true }).then(function (supplier) {
        var addresses = itemsOf(supplier.addresses);
        vm.profile.show(supplier);
        vm.addresses.show(addresses);
        vm.sites.show(itemsOf(supplier.sites), addresses);
        vm.contacts.show(itemsOf(supplier.contacts));
        vm.pendingRequest(pendingRequestOf(supplier));
        vm.supplier(supplier);
        document.title = supplier.Supplier + ' - Oracle Fusion Cloud Applications';
      });
    };
    return vm;
  }

  return { create: create };
});
