<?php
/**
 * Privacy Suite registrar wrapper: WHMCS calls this module instead of the real registrar module. For register,
 * transfer, save-contacts and ID protection it asks the suite for the contacts the registry may receive and puts
 * them in the parameters; everything else goes to the real module unchanged. PHP 7.4+, nothing runs on include.
 */

/** Loads the wrapper's classes at call time (WHMCS's autoloader may already have them). */
function privacysuite_wrapperLoad()
{
    if (!class_exists('WHMCS\\Module\\Registrar\\Privacysuite\\Wrapper', false)) {
        require_once __DIR__ . '/lib/Contacts.php';
        require_once __DIR__ . '/lib/Wrapper.php';
    }
}

/** Runs one registrar function through the wrapper; a problem of the wrapper or the suite answers WHMCS's error form. */
function privacysuite_wrapperRun($function, $params)
{
    try {
        privacysuite_wrapperLoad();
        return \WHMCS\Module\Registrar\Privacysuite\Wrapper::run($function, is_array($params) ? $params : []);
    } catch (\WHMCS\Module\Registrar\Privacysuite\WrappedModuleFailure $e) {
        // The real module's own exception: functions whose WHMCS contract is an exception get it unchanged.
        if (in_array($function, \WHMCS\Module\Registrar\Privacysuite\Wrapper::THROWING_FUNCTIONS, true)) {
            throw $e->getPrevious();
        }
        return ['error' => 'Privacy Suite: the registrar module failed in ' . $function . ' (' . get_class($e->getPrevious()) . ')'];
    } catch (\Throwable $e) {
        try {
            logModuleCall('privacysuite', 'registrar ' . $function, '', get_class($e), '', []);
        } catch (\Throwable $ignored) {
        }
        return ['error' => 'Privacy Suite: ' . $function . ' failed inside the wrapper (' . get_class($e) . ')'];
    }
}

function privacysuite_MetaData()
{
    return ['DisplayName' => 'Privacy Suite (wraps your registrar module)', 'APIVersion' => '1.1'];
}

function privacysuite_getConfigArray()
{
    return [
        'FriendlyName' => ['Type' => 'System', 'Value' => 'Privacy Suite'],
        'Description' => [
            'Type' => 'System',
            'Value' => 'Sends registries the contacts the Privacy Suite decides (privacy contacts with ID protection on), then calls your real registrar module with its own settings. Keep that module activated.',
        ],
        'wrapped_module' => [
            'FriendlyName' => 'Registrar module',
            'Type' => 'text',
            'Size' => '25',
            'Default' => '',
            'Description' => 'The system name of the real registrar module (its folder under modules/registrars, e.g. enom). Empty: the addon setting registrar_module.',
        ],
        'suite_unreachable' => [
            'FriendlyName' => 'Suite unreachable',
            'Type' => 'dropdown',
            'Options' => 'refuse,own',
            'Default' => 'refuse',
            'Description' => 'refuse: answer an error and send nothing (the registration can be retried); own: send the customer\'s own contacts unchanged (breaks ID protection).',
        ],
    ];
}

// Contact functions: the suite decides the contacts.
function privacysuite_RegisterDomain($params) { return privacysuite_wrapperRun('RegisterDomain', $params); }
function privacysuite_TransferDomain($params) { return privacysuite_wrapperRun('TransferDomain', $params); }
function privacysuite_SaveContactDetails($params) { return privacysuite_wrapperRun('SaveContactDetails', $params); }
function privacysuite_IDProtectToggle($params) { return privacysuite_wrapperRun('IDProtectToggle', $params); }

// Pass-through functions: the real module's answer, unchanged; a function it lacks answers WHMCS's error form.
function privacysuite_RenewDomain($params) { return privacysuite_wrapperRun('RenewDomain', $params); }
function privacysuite_GetNameservers($params) { return privacysuite_wrapperRun('GetNameservers', $params); }
function privacysuite_SaveNameservers($params) { return privacysuite_wrapperRun('SaveNameservers', $params); }
function privacysuite_GetRegistrarLock($params) { return privacysuite_wrapperRun('GetRegistrarLock', $params); }
function privacysuite_SaveRegistrarLock($params) { return privacysuite_wrapperRun('SaveRegistrarLock', $params); }
function privacysuite_GetContactDetails($params) { return privacysuite_wrapperRun('GetContactDetails', $params); }
function privacysuite_GetEPPCode($params) { return privacysuite_wrapperRun('GetEPPCode', $params); }
function privacysuite_GetDNS($params) { return privacysuite_wrapperRun('GetDNS', $params); }
function privacysuite_SaveDNS($params) { return privacysuite_wrapperRun('SaveDNS', $params); }
function privacysuite_GetEmailForwarding($params) { return privacysuite_wrapperRun('GetEmailForwarding', $params); }
function privacysuite_SaveEmailForwarding($params) { return privacysuite_wrapperRun('SaveEmailForwarding', $params); }
function privacysuite_RegisterNameserver($params) { return privacysuite_wrapperRun('RegisterNameserver', $params); }
function privacysuite_ModifyNameserver($params) { return privacysuite_wrapperRun('ModifyNameserver', $params); }
function privacysuite_DeleteNameserver($params) { return privacysuite_wrapperRun('DeleteNameserver', $params); }
function privacysuite_RequestDelete($params) { return privacysuite_wrapperRun('RequestDelete', $params); }
function privacysuite_ReleaseDomain($params) { return privacysuite_wrapperRun('ReleaseDomain', $params); }
function privacysuite_Sync($params) { return privacysuite_wrapperRun('Sync', $params); }
function privacysuite_TransferSync($params) { return privacysuite_wrapperRun('TransferSync', $params); }
function privacysuite_CheckAvailability($params) { return privacysuite_wrapperRun('CheckAvailability', $params); }
function privacysuite_GetDomainSuggestions($params) { return privacysuite_wrapperRun('GetDomainSuggestions', $params); }
function privacysuite_GetDomainInformation($params) { return privacysuite_wrapperRun('GetDomainInformation', $params); }
function privacysuite_GetTldPricing($params) { return privacysuite_wrapperRun('GetTldPricing', $params); }
function privacysuite_ResendIRTPVerificationEmail($params) { return privacysuite_wrapperRun('ResendIRTPVerificationEmail', $params); }
