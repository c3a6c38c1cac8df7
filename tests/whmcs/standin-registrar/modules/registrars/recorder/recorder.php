<?php
/**
 * A recording stand-in registrar module for the wrapper's tests: every call's function name and `$params` go to
 * `$GLOBALS['recorder_calls']` (and, when RECORDER_LOG names a file, one JSON line there); answers are canned.
 * It lacks GetDNS on purpose (the wrapper must answer WHMCS's error form for it).
 */

/** A domain information object, as modules answer with WHMCS\Domain\Registrar\Domain. */
final class RecorderDomainInfo
{
    public $domain;
    public $nameservers;

    public function __construct($domain, array $nameservers)
    {
        $this->domain = $domain;
        $this->nameservers = $nameservers;
    }
}

function recorder_record($function, array $params)
{
    $call = ['fn' => $function, 'params' => $params];
    $GLOBALS['recorder_calls'][] = $call;
    $log = getenv('RECORDER_LOG');
    if ($log) {
        file_put_contents($log, json_encode($call, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PARTIAL_OUTPUT_ON_ERROR) . "\n", FILE_APPEND);
    }
}

function recorder_MetaData()
{
    return ['DisplayName' => 'Recorder', 'APIVersion' => '1.1'];
}

function recorder_getConfigArray()
{
    return ['api_key' => ['FriendlyName' => 'API key', 'Type' => 'password']];
}

function recorder_RegisterDomain($params) { recorder_record('RegisterDomain', $params); return ['success' => true]; }
function recorder_TransferDomain($params) { recorder_record('TransferDomain', $params); return ['success' => true]; }
function recorder_SaveContactDetails($params) { recorder_record('SaveContactDetails', $params); return ['success' => true]; }
function recorder_IDProtectToggle($params) { recorder_record('IDProtectToggle', $params); return ['success' => true]; }
function recorder_RenewDomain($params) { recorder_record('RenewDomain', $params); return ['success' => true, 'note' => 'renewed by recorder']; }
function recorder_GetNameservers($params) { recorder_record('GetNameservers', $params); return ['ns1' => 'ns1.recorder.test', 'ns2' => 'ns2.recorder.test']; }
function recorder_GetEPPCode($params) { recorder_record('GetEPPCode', $params); return ['eppcode' => 'recorder-epp-' . $params['sld']]; }

function recorder_GetDomainInformation($params)
{
    recorder_record('GetDomainInformation', $params);
    return new RecorderDomainInfo($params['sld'] . $params['tld'], ['ns1.recorder.test']);
}

function recorder_CheckAvailability($params)
{
    recorder_record('CheckAvailability', $params);
    throw new \RuntimeException('recorder: availability lookup failed');
}

function recorder_SaveNameservers($params)
{
    recorder_record('SaveNameservers', $params);
    throw new \RuntimeException('recorder: nameserver update failed');
}
