<?php
/**
 * Moves contacts between WHMCS's registrar parameters and the suite: the parameters the suite needs (nothing else
 * leaves WHMCS), and the suite's registry contacts written back into `$params`, `$params['original']` and
 * `$params['contactdetails']`.
 */

namespace WHMCS\Module\Registrar\Privacysuite;

final class Contacts
{
    /** The registrar parameters the suite reads (registrar-params.json plus the WHMCS fields it also sends). */
    const SUITE_FIELDS = [
        'userid', 'domainid', 'sld', 'tld', 'regperiod', 'idprotection', 'protectenable',
        'firstname', 'lastname', 'companyname', 'email', 'address1', 'address2', 'address3', 'city', 'state', 'postcode',
        'countrycode', 'country', 'phonenumber', 'phonecc', 'fullphonenumber',
        'adminfirstname', 'adminlastname', 'admincompanyname', 'adminemail', 'adminaddress1', 'adminaddress2',
        'adminaddress3', 'admincity', 'adminstate', 'adminpostcode', 'admincountry', 'admincountrycode', 'adminphonenumber',
        'adminfullphonenumber',
    ];

    /** `contactdetails` sections and the suite's role each one takes. */
    const SECTIONS = ['Registrant' => 'registrant', 'Admin' => 'admin', 'Technical' => 'tech', 'Billing' => 'billing'];

    /** `contactdetails` labels (as registrar modules name them) → the contact field written there. */
    const LABELS = [
        'First Name' => 'firstname', 'Last Name' => 'lastname', 'Full Name' => 'fullname', 'Name' => 'fullname',
        'Company Name' => 'companyname', 'Organisation Name' => 'companyname', 'Organization Name' => 'companyname',
        'Company' => 'companyname', 'Email Address' => 'email', 'Email' => 'email',
        'Address 1' => 'address1', 'Address 2' => 'address2', 'Address 3' => 'address3',
        'City' => 'city', 'State' => 'state', 'Region' => 'state', 'Postcode' => 'postcode', 'ZIP Code' => 'postcode',
        'Zip Code' => 'postcode', 'Country' => 'countrycode', 'Phone Number' => 'fullphonenumber', 'Phone' => 'fullphonenumber',
        'Fax Number' => 'fax', 'Fax' => 'fax',
    ];

    /** The scalar parameters the suite needs; for SaveContactDetails the new details come from `contactdetails`. */
    public static function forSuite($function, array $params)
    {
        $out = [];
        foreach (self::SUITE_FIELDS as $f) {
            if (array_key_exists($f, $params) && (is_scalar($params[$f]) || $params[$f] === null)) {
                $out[$f] = $params[$f];
            }
        }
        if ($function === 'SaveContactDetails' && isset($params['contactdetails']) && is_array($params['contactdetails'])) {
            $d = $params['contactdetails'];
            if (isset($d['Registrant']) && is_array($d['Registrant'])) {
                $out = array_merge($out, self::fromSection($d['Registrant'], ''));
            }
            $admin = isset($d['Admin']) && is_array($d['Admin']) ? $d['Admin'] : (isset($d['Technical']) && is_array($d['Technical']) ? $d['Technical'] : null);
            if ($admin !== null) {
                $out = array_merge($out, self::fromSection($admin, 'admin'));
            }
        }
        return $out;
    }

    /** Registrar parameters of one person from a `contactdetails` section. */
    private static function fromSection(array $section, $prefix)
    {
        $out = [];
        foreach ($section as $label => $value) {
            $field = isset(self::LABELS[$label]) ? self::LABELS[$label] : null;
            if ($field === null || $field === 'fax' || $field === 'fullname' || !is_scalar($value)) {
                continue;
            }
            if ($field === 'countrycode' && $prefix === 'admin') {
                $field = 'country';
            }
            $out[$prefix . $field] = (string) $value;
        }
        return $out;
    }

    /**
     * Writes the suite's contacts into the parameters: the registrant set from the registrant contact, the admin set
     * from the admin (else tech, billing, registrant) contact, the same in `original`, and for SaveContactDetails
     * each `contactdetails` section from its role's contact.
     */
    public static function substitute(array $params, array $contacts)
    {
        $registrant = self::pick($contacts, ['registrant', 'admin', 'tech', 'billing']);
        $admin = self::pick($contacts, ['admin', 'tech', 'billing', 'registrant']);
        if ($registrant === null) {
            return $params;
        }
        // A set that already holds the contact's person (no privacy-service contact configured: the suite answers
        // the customer's own, every field hidden) stays as WHMCS built it, in `original` too (not transliterated).
        foreach (['' => $registrant, 'admin' => $admin] as $prefix => $contact) {
            if (self::samePerson($params, $prefix, self::fields($contact))) {
                continue;
            }
            $params = self::intoSet($params, $prefix, $contact);
            if (isset($params['original']) && is_array($params['original'])) {
                $params['original'] = self::intoSet($params['original'], $prefix, $contact);
            }
        }
        if (isset($params['contactdetails']) && is_array($params['contactdetails'])) {
            $params['contactdetails'] = self::intoDetails($params['contactdetails'], $contacts, $admin);
        }
        if (isset($params['original']['contactdetails']) && is_array($params['original']['contactdetails'])) {
            $params['original']['contactdetails'] = self::intoDetails($params['original']['contactdetails'], $contacts, $admin);
        }
        return $params;
    }

    private static function pick(array $contacts, array $order)
    {
        foreach ($order as $role) {
            if (isset($contacts[$role]) && is_array($contacts[$role])) {
                return $contacts[$role];
            }
        }
        return null;
    }

    /** The WHMCS fields of one registry contact (`name` split at its first space, `voice` +CC.number). */
    public static function fields(array $c)
    {
        $name = trim(isset($c['name']) ? (string) $c['name'] : '');
        $cut = strpos($name, ' ');
        $street = isset($c['street']) && is_array($c['street']) ? array_values($c['street']) : [];
        $voice = isset($c['voice']) ? (string) $c['voice'] : '';
        $cc = '';
        $number = $voice;
        if (preg_match('/^\+(\d{1,3})\.(\d+)$/', $voice, $m)) {
            $cc = $m[1];
            $number = $m[2];
        }
        $state = isset($c['sp']) ? (string) $c['sp'] : '';
        return [
            'firstname' => $cut === false ? $name : substr($name, 0, $cut),
            'lastname' => $cut === false ? '' : substr($name, $cut + 1),
            'fullname' => $name,
            'companyname' => isset($c['org']) ? (string) $c['org'] : '',
            'email' => isset($c['email']) ? (string) $c['email'] : '',
            'address1' => isset($street[0]) ? (string) $street[0] : '',
            'address2' => isset($street[1]) ? (string) $street[1] : '',
            'address3' => isset($street[2]) ? (string) $street[2] : '',
            'city' => isset($c['city']) ? (string) $c['city'] : '',
            'state' => $state,
            'fullstate' => $state,
            'postcode' => isset($c['pc']) ? (string) $c['pc'] : '',
            'countrycode' => isset($c['cc']) ? (string) $c['cc'] : '',
            'phonenumber' => $number,
            'phonecc' => $cc,
            'fullphonenumber' => $voice,
            'fax' => isset($c['fax']) ? (string) $c['fax'] : '',
        ];
    }

    /** One person's set in a parameter array; fields WHMCS did not send are added only where they are always present. */
    private static function intoSet(array $params, $prefix, array $contact)
    {
        $f = self::fields($contact);
        $always = ['firstname', 'lastname', 'companyname', 'email', 'address1', 'address2', 'city', 'state', 'postcode', 'phonenumber', 'fullphonenumber'];
        $optional = ['fullname', 'address3', 'fullstate', 'phonecc', 'phonenumberformatted', 'countryname'];
        foreach ($always as $k) {
            $params[$prefix . $k] = $f[$k];
        }
        foreach ($optional as $k) {
            if (array_key_exists($prefix . $k, $params)) {
                $params[$prefix . $k] = $k === 'phonenumberformatted' ? $f['fullphonenumber'] : ($k === 'countryname' ? self::countryName($params, $prefix, $f['countrycode']) : $f[$k]);
            }
        }
        if ($prefix === '') {
            $params['countrycode'] = $f['countrycode'];
            if (array_key_exists('country', $params)) {
                $params['country'] = $f['countrycode'];
            }
            if (array_key_exists('fullstate', $params)) {
                $params['fullstate'] = $f['fullstate'];
            }
        } else {
            $params['admincountry'] = $f['countrycode'];
            if (array_key_exists('admincountrycode', $params)) {
                $params['admincountrycode'] = $f['countrycode'];
            }
            $params['adminfullstate'] = $f['fullstate'];
        }
        return $params;
    }

    /** Whether the set already describes the contact's person (same e-mail and same full name, case aside). */
    private static function samePerson(array $params, $prefix, array $f)
    {
        $email = isset($params[$prefix . 'email']) ? strtolower(trim((string) $params[$prefix . 'email'])) : '';
        $first = isset($params[$prefix . 'firstname']) ? trim((string) $params[$prefix . 'firstname']) : '';
        $last = isset($params[$prefix . 'lastname']) ? trim((string) $params[$prefix . 'lastname']) : '';
        return $email !== '' && $email === strtolower($f['email']) && strtolower(trim($first . ' ' . $last)) === strtolower($f['fullname']);
    }

    /** Whether a `contactdetails` section already holds the contact's person (same e-mail and full name). */
    private static function sameSection(array $values, array $f)
    {
        $person = [];
        foreach ($values as $label => $value) {
            if (isset(self::LABELS[$label]) && is_scalar($value)) {
                $person[self::LABELS[$label]] = (string) $value;
            }
        }
        $name = isset($person['fullname']) ? $person['fullname'] : (isset($person['firstname']) ? $person['firstname'] : '') . ' ' . (isset($person['lastname']) ? $person['lastname'] : '');
        $email = isset($person['email']) ? strtolower(trim($person['email'])) : '';
        return $email !== '' && $email === strtolower($f['email']) && strtolower(trim($name)) === strtolower($f['fullname']);
    }

    /** The country name for `$cc`: WHMCS's own when the country is unchanged, else the code (no country table here). */
    private static function countryName(array $params, $prefix, $cc)
    {
        $was = $prefix === '' ? (isset($params['countrycode']) ? $params['countrycode'] : '') : (isset($params['admincountry']) ? $params['admincountry'] : '');
        $name = isset($params[$prefix . 'countryname']) ? $params[$prefix . 'countryname'] : '';
        return strtoupper((string) $was) === strtoupper($cc) ? $name : $cc;
    }

    /** Each `contactdetails` section from its role's contact (a role the suite did not answer takes the admin set). */
    private static function intoDetails(array $details, array $contacts, array $admin)
    {
        foreach ($details as $section => $values) {
            if (!is_array($values)) {
                continue;
            }
            $role = isset(self::SECTIONS[$section]) ? self::SECTIONS[$section] : null;
            $contact = $role !== null && isset($contacts[$role]) && is_array($contacts[$role]) ? $contacts[$role] : $admin;
            if ($section === 'Registrant' && isset($contacts['registrant']) && is_array($contacts['registrant'])) {
                $contact = $contacts['registrant'];
            }
            $f = self::fields($contact);
            if (self::sameSection($values, $f)) {
                continue;
            }
            foreach ($values as $label => $value) {
                if (isset(self::LABELS[$label])) {
                    $details[$section][$label] = $f[self::LABELS[$label]];
                }
            }
        }
        return $details;
    }
}
