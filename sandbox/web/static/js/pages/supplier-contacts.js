/**
 * The Contacts tab of the Supplier page: the supplier's contacts and the "Contact" drawer
 * (Create Contact, or a row's "Edit <First> <Last>"), saved to `suppliers/{id}/child/contacts`.
 */
define(['ojs/ojmutablearraydataprovider', 'common/rest', 'pages/supplier-options',
  'common/row-drawer'],
function (MutableArrayDataProvider, rest, options, RowDrawer) {
  'use strict';

  /**
   * `page` gives the supplier's REST path (page.path()) and reloads the supplier after a save
   * (page.reload()).
   */
  function ContactsTab(page) {
    this.rows = new MutableArrayDataProvider([], { keyAttributes: 'SupplierContactId' });
    this.columns = {
      name: { field: 'NameText', headerText: 'Name', weight: 3 },
      email: { field: 'Email', headerText: 'Email', weight: 4 },
      phone: { field: 'PhoneNumber', headerText: 'Phone', weight: 2 },
      admin: { field: 'AdministrativeText', headerText: 'Administrative Contact', weight: 2 },
      status: { field: 'StatusText', headerText: 'Status', weight: 1, maxWidth: 110 },
      actions: { headerText: 'Actions', template: 'contactActions', weight: 1, maxWidth: 96 }
    };

    this.drawer = new RowDrawer({
      formId: 'sbx-contact-form',
      fields: { FirstName: '', LastName: '', Email: '', PhoneNumber: '' },
      fromRow: function (row) { return row; },
      toBody: function (values) {
        return {
          FirstName: options.textOrNull(values.FirstName),
          LastName: options.textOrNull(values.LastName),
          Email: options.textOrNull(values.Email),
          PhoneNumber: options.textOrNull(values.PhoneNumber)
        };
      },
      save: function (body, row) {
        var collection = page.path() + '/child/contacts';
        return row
          ? rest.patch(collection + '/' + row.SupplierContactId, body)
          : rest.post(collection, body);
      },
      onSaved: function () { return page.reload(); }
    });
  }

  /** Show the contacts of a freshly loaded supplier. */
  ContactsTab.prototype.show = function (items) {
    this.rows.data = items.map(function (row) {
      return Object.assign({}, row, {
        NameText: row.FirstName + ' ' + row.LastName,
        AdministrativeText: row.AdministrativeContactFlag ? 'Yes' : '',
        StatusText: options.statusText(row.Status)
      });
    });
  };

  return ContactsTab;
});
