/**
 * The Sites tab of the Supplier page: the supplier's sites with their assignments, and the
 * "Site" drawer (Create Site, or a row's "Edit <Site>").
 *
 * Creating a site with Client BU and Bill-to BU posts the site with its assignment nested, so
 * the server takes both or neither (a Client BU without a Bill-to BU is refused with
 * POZ-2130496). Editing a site patches it and then, when a Client BU is chosen, updates that
 * client BU's assignment or adds one. The Procurement BU of an existing site cannot change.
 */
define(['knockout', 'ojs/ojarraydataprovider', 'ojs/ojmutablearraydataprovider', 'common/rest',
  'common/lov', 'common/format', 'pages/supplier-options', 'common/row-drawer'],
function (ko, ArrayDataProvider, MutableArrayDataProvider, rest, lov, format, options,
  RowDrawer) {
  'use strict';

  var PURPOSES = options.SITE_PURPOSES;

  function assignmentsOf(site) {
    return (site && site.assignments && site.assignments.items) || [];
  }

  function assignmentText(assignment) {
    return assignment.ClientBU + ' (bill-to ' + assignment.BillToBU + ')';
  }

  function siteBody(values) {
    return Object.assign({
      SupplierSite: options.textOrNull(values.SupplierSite),
      SupplierAddressId: values.SupplierAddressId,
      InactiveDate: values.InactiveDate || null
    }, options.flagsFrom(values.purposes, PURPOSES));
  }

  function assignmentBody(values) {
    var body = {};
    if (values.ClientBUId !== null) {
      body.ClientBUId = values.ClientBUId;
    }
    if (values.BillToBUId !== null) {
      body.BillToBUId = values.BillToBUId;
    }
    return Object.keys(body).length ? body : null;
  }

  /**
   * `page` gives the supplier's REST path (page.path()) and reloads the supplier after a save
   * (page.reload()).
   */
  function SitesTab(page) {
    var self = this;
    this.rows = new MutableArrayDataProvider([], { keyAttributes: 'SupplierSiteId' });
    this.columns = {
      site: { field: 'SupplierSite', headerText: 'Site', weight: 2 },
      bu: { field: 'ProcurementBU', headerText: 'Procurement BU', weight: 2 },
      address: { field: 'SupplierAddressName', headerText: 'Address Name', weight: 2 },
      purposes: { field: 'PurposesText', headerText: 'Purposes', weight: 3 },
      clients: { field: 'ClientBUsText', headerText: 'Client BUs', weight: 3 },
      status: { field: 'StatusText', headerText: 'Status', weight: 1, maxWidth: 110 },
      inactive: { field: 'InactiveDateText', headerText: 'Inactive Date', weight: 1, minWidth: 136 },
      actions: { headerText: 'Actions', template: 'siteActions', weight: 1, maxWidth: 96 }
    };
    // The Address Name list offers this supplier's addresses (refreshed with each load).
    this.addresses = ko.observable(this.addressOptions([]));
    this.purposeOptions = options.checkboxOptions(PURPOSES);
    this.lovs = {
      procurementBUs: lov.create('procurementBUs'),
      clientBUs: lov.create('requisitioningBUs'),
      billToBUs: lov.create('requisitioningBUs')
    };

    this.drawer = new RowDrawer({
      formId: 'sbx-site-form',
      fields: {
        ProcurementBUId: null, SupplierAddressId: null, SupplierSite: '', purposes: [],
        InactiveDate: null, ClientBUId: null, BillToBUId: null
      },
      fromRow: function (row) {
        return Object.assign({}, row, {
          purposes: options.checkedKeys(row, PURPOSES), ClientBUId: null, BillToBUId: null
        });
      },
      toBody: function (values) {
        return { site: siteBody(values), assignment: assignmentBody(values), values: values };
      },
      save: function (body, row) {
        return row ? self.update(page, row, body) : self.add(page, body);
      },
      onSaved: function () { return page.reload(); }
    });
    // The assignments the edited site already has, shown read-only in the drawer.
    this.existingAssignments = ko.pureComputed(function () {
      return assignmentsOf(self.drawer.row()).map(assignmentText);
    });
  }

  SitesTab.prototype.addressOptions = function (addresses) {
    return new ArrayDataProvider(addresses.map(function (a) {
      return { SupplierAddressId: a.SupplierAddressId, AddressName: a.AddressName };
    }), { keyAttributes: 'SupplierAddressId' });
  };

  SitesTab.prototype.add = function (page, body) {
    var site = Object.assign({ ProcurementBUId: body.values.ProcurementBUId }, body.site);
    if (body.assignment) {
      site.assignments = [body.assignment];
    }
    return rest.post(page.path() + '/child/sites', site);
  };

  SitesTab.prototype.update = function (page, row, body) {
    var sitePath = page.path() + '/child/sites/' + row.SupplierSiteId;
    return rest.patch(sitePath, body.site).then(function () {
      var wanted = body.assignment;
      if (!wanted) {
        return null;
      }
      var existing = assignmentsOf(row).filter(function (a) {
        return a.ClientBUId === wanted.ClientBUId;
      })[0];
      if (existing) {
        // An emptied Bill-to BU is sent as such, so the server can refuse it (POZ-2130496).
        return rest.patch(sitePath + '/child/assignments/' + existing.AssignmentId,
          { BillToBUId: wanted.BillToBUId === undefined ? null : wanted.BillToBUId });
      }
      return rest.post(sitePath + '/child/assignments', wanted);
    });
  };

  /** Show the sites of a freshly loaded supplier, and offer its addresses in the drawer. */
  SitesTab.prototype.show = function (sites, addresses) {
    this.addresses(this.addressOptions(addresses));
    this.rows.data = sites.map(function (row) {
      return Object.assign({}, row, {
        PurposesText: options.purposesText(row, PURPOSES),
        ClientBUsText: assignmentsOf(row).map(function (a) { return a.ClientBU; }).join(', '),
        StatusText: options.statusText(row.Status),
        InactiveDateText: format.date(row.InactiveDate)
      });
    });
  };

  return SitesTab;
});
