/**
 * The Addresses tab of the Supplier page: the supplier's addresses and the "Address" drawer
 * (Create Address, or a row's "Edit <Address Name>"), saved to `suppliers/{id}/child/addresses`.
 */
define(['ojs/ojmutablearraydataprovider', 'common/rest', 'pages/supplier-options',
  'common/row-drawer'],
function (MutableArrayDataProvider, rest, options, RowDrawer) {
  'use strict';

  var PURPOSES = options.ADDRESS_PURPOSES;

  /** "Unit 4, Hall Road, Norwich, Norfolk, NR4 6DG": the address as one line. */
  function addressText(row) {
    return [row.AddressLine1, row.AddressLine2, row.City, row.County, row.PostalCode]
      .filter(function (part) { return part; }).join(', ');
  }

  /**
   * `page` gives the supplier's REST path (page.path()) and reloads the supplier after a save
   * (page.reload()).
   */
  function AddressesTab(page) {
    this.rows = new MutableArrayDataProvider([], { keyAttributes: 'SupplierAddressId' });
    this.columns = {
      name: { field: 'AddressName', headerText: 'Address Name', weight: 2 },
      address: { field: 'AddressText', headerText: 'Address', weight: 4 },
      country: { field: 'Country', headerText: 'Country', weight: 2 },
      purposes: { field: 'PurposesText', headerText: 'Purposes', weight: 3 },
      status: { field: 'StatusText', headerText: 'Status', weight: 1, maxWidth: 110 },
      actions: { headerText: 'Actions', template: 'addressActions', weight: 1, maxWidth: 96 }
    };
    this.countries = options.addressCountries();
    this.purposeOptions = options.checkboxOptions(PURPOSES);

    this.drawer = new RowDrawer({
      formId: 'sbx-address-form',
      fields: {
        AddressName: '', CountryCode: options.DEFAULT_COUNTRY_CODE, AddressLine1: '',
        AddressLine2: '', City: '', County: '', PostalCode: '', purposes: []
      },
      fromRow: function (row) {
        return Object.assign({}, row, { purposes: options.checkedKeys(row, PURPOSES) });
      },
      toBody: function (values) {
        var body = {
          AddressName: options.textOrNull(values.AddressName),
          CountryCode: values.CountryCode
        };
        ['AddressLine1', 'AddressLine2', 'City', 'County', 'PostalCode'].forEach(function (a) {
          body[a] = options.textOrNull(values[a]);
        });
        return Object.assign(body, options.flagsFrom(values.purposes, PURPOSES));
      },
      save: function (body, row) {
        var collection = page.path() + '/child/addresses';
        return row
          ? rest.patch(collection + '/' + row.SupplierAddressId, body)
          : rest.post(collection, body);
      },
      onSaved: function () { return page.reload(); }
    });
  }

  /** Show the addresses of a freshly loaded supplier. */
  AddressesTab.prototype.show = function (items) {
    this.rows.data = items.map(function (row) {
      return Object.assign({}, row, {
        AddressText: addressText(row),
        PurposesText: options.purposesText(row, PURPOSES),
        StatusText: options.statusText(row.Status)
      });
    });
  };

  return AddressesTab;
});
