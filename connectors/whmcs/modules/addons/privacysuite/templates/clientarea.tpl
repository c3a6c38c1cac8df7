{* Privacy Suite: the client area's "Privacy" page. The button opens the brand's privacy center by a signed link that works once, for a short time. *}
<div class="privacysuite-clientarea">
    <p>{$text.intro|escape:'html'}</p>
    {if $available}
        <p>
            <a class="btn btn-primary" href="{$ssoUrl|escape:'html'}" rel="noopener">{$text.open|escape:'html'}</a>
        </p>
        <p class="text-muted small">{$text.expiry|escape:'html'}</p>
    {else}
        <div class="alert alert-warning" role="status">{$text.unavailable|escape:'html'}</div>
    {/if}
</div>
