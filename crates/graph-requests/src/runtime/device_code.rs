//! A user's own token for a command-line tool: the OAuth 2.0 device authorization grant
//! (RFC 8628) of the Microsoft identity platform as a public client (no secret), through the
//! `oauth2` crate. The user signs in once in a browser, anywhere; the access token is cached
//! until shortly before it expires and then renewed with the refresh token, without asking the
//! user again. Feature `client-credentials`.

use std::fmt;
use std::sync::PoisonError;
use std::time::{Duration, Instant};

use oauth2::basic::{BasicClient, BasicTokenResponse};
use oauth2::{
    AuthType, DeviceAuthorizationResponse, DeviceAuthorizationUrl, EndpointNotSet, EndpointSet,
    ExtraDeviceAuthorizationFields,
};
use serde::{Deserialize, Serialize};

use super::auth::{TokenFuture, TokenProvider};
use super::credentials::{authentication_error, token_url, Endpoint};
use super::user_tokens::UserTokens;
use super::{Cloud, Error, Result};

/// What the user needs to sign in: handed to the [`DeviceCodeCredentials::on_prompt`] callback
/// once per device flow, before polling for the token starts.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DevicePrompt {
    /// The page to open in a browser, e.g. `https://microsoft.com/devicelogin`.
    pub verification_uri: String,
    /// The code to enter on that page.
    pub user_code: String,
    /// The identity platform's sentence for the user, e.g. `To sign in, use a web browser to
    /// open the page https://microsoft.com/devicelogin and enter the code ABCD to
    /// authenticate.` (made up from the two above when the platform sends none).
    pub message: String,
    /// How long the code is good for; the sign-in fails with `expired_token` afterwards.
    pub expires_in: Duration,
}

/// The extra field of the Microsoft identity platform's device code answer.
#[derive(Debug, Deserialize, Serialize)]
struct MicrosoftDeviceFields {
    #[serde(default)]
    message: Option<String>,
}

impl ExtraDeviceAuthorizationFields for MicrosoftDeviceFields {}

/// The oauth2 client with the device code and token endpoints set.
type IdentityClient =
    BasicClient<EndpointNotSet, EndpointSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

type Prompt = Box<dyn Fn(&DevicePrompt) + Send + Sync>;

/// A [`TokenProvider`] for a user signed in with a code (delegated permissions, e.g. a CLI):
/// asks the Microsoft identity platform's device code endpoint
/// (`{authority}/{tenant}/oauth2/v2.0/devicecode`) for a code, shows it through the
/// [`on_prompt`](Self::on_prompt) callback (by default on stderr), and polls the token endpoint
/// (`{authority}/{tenant}/oauth2/v2.0/token`) until the user has signed in in a browser,
/// declined, or the code expired. The app registration must allow public client flows; no
/// secret is sent.
///
/// The access token is kept and renewed five minutes before it expires (or halfway through a
/// shorter life) with the refresh token (`offline_access` is always asked for), keeping the
/// newest refresh token the platform hands out; only when the platform refuses the refresh
/// token (e.g. `invalid_grant`) does the user sign in again. Concurrent requests wait for one
/// sign-in. Tokens never appear in `Debug` output.
///
/// ```no_run
/// # async fn demo() -> graph_requests::Result<()> {
/// use graph_requests::runtime::{DeviceCodeCredentials, DevicePrompt};
/// use graph_requests::{Client, Cloud};
///
/// let credentials = DeviceCodeCredentials::new(
///     "organizations",                             // or `common`, a tenant id or domain
///     "00000000-0000-0000-0000-000000000000",      // application (client) id
///     ["User.Read", "Mail.Read"],                  // delegated permissions
/// )
/// .cloud(Cloud::Global)
/// .on_prompt(|prompt: &DevicePrompt| eprintln!("{}", prompt.message));
/// // Sign in before the first request rather than in the middle of it.
/// credentials.sign_in().await?;
/// let client = Client::builder().token_provider(credentials).build()?;
/// # let _ = client; Ok(()) }
/// ```
pub struct DeviceCodeCredentials {
    tokens: UserTokens,
    prompt: Prompt,
}

impl fmt::Debug for DeviceCodeCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCodeCredentials")
            .field("tenant", &self.tokens.tenant)
            .field("client_id", &self.tokens.client_id.as_str())
            .field("authority", &self.tokens.authority)
            .field("scopes", &self.tokens.scopes_sent())
            .field("signed_in", &self.signed_in())
            .finish_non_exhaustive()
    }
}

impl DeviceCodeCredentials {
    /// Sign-in of a user of the app `client_id` (a public client) in `tenant` (`organizations`,
    /// `common`, `consumers`, a tenant id or a verified domain), for the delegated permissions
    /// `scopes`, sent as given (e.g. `User.Read`; with none, the cloud's Graph `.default`), for
    /// the Global cloud.
    pub fn new(
        tenant: impl Into<String>,
        client_id: impl Into<String>,
        scopes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        DeviceCodeCredentials {
            tokens: UserTokens::new(tenant.into(), client_id.into(), scopes),
            prompt: Box::new(|prompt: &DevicePrompt| eprintln!("{}", prompt.message)),
        }
    }

    super::user_tokens::user_token_builders!();

    /// What to do with the code the user signs in with, instead of printing
    /// [`DevicePrompt::message`] to stderr: called once per device flow.
    pub fn on_prompt(mut self, prompt: impl Fn(&DevicePrompt) + Send + Sync + 'static) -> Self {
        self.prompt = Box::new(prompt);
        self
    }

    /// The device code endpoint asked.
    pub fn device_code_url(&self) -> String {
        self.tokens.endpoint("devicecode")
    }

    /// Makes sure of a token now, signing the user in (prompt and wait) unless a token or a
    /// refresh token the platform accepts is held: lets a tool sign in before its first
    /// request. The same as the first request would do; concurrent requests wait for it.
    pub async fn sign_in(&self) -> Result<()> {
        self.token_now().await.map(drop)
    }

    fn oauth_client(&self) -> Result<IdentityClient> {
        let url = self.device_code_url();
        let device_code_url = DeviceAuthorizationUrl::new(url.clone())
            .map_err(|e| Error::InvalidRequest(format!("device code endpoint {url:?}: {e}")))?;
        Ok(BasicClient::new(self.tokens.client_id.clone())
            .set_auth_type(AuthType::RequestBody)
            .set_device_authorization_url(device_code_url)
            .set_token_uri(token_url(self.token_url())?))
    }

    async fn token_now(&self) -> Result<String> {
        let mut state = self.tokens.lock().await;
        if let Some(token) = self.tokens.held_or_renewed(&mut state).await? {
            return Ok(token);
        }
        let (answer, asked) = self.device_flow(&self.oauth_client()?).await?;
        Ok(self.tokens.keep(&mut state, &answer, asked, None))
    }

    /// Asks for a device code, prompts the user and polls until they signed in: the token
    /// and when the successful poll was sent.
    async fn device_flow(&self, client: &IdentityClient) -> Result<(BasicTokenResponse, Instant)> {
        let details: DeviceAuthorizationResponse<MicrosoftDeviceFields> = client
            .exchange_device_code()
            .add_scopes(self.tokens.scopes())
            .request_async(&self.tokens.http)
            .await
            .map_err(|e| authentication_error(Endpoint::DeviceCode, e))?;
        let verification_uri = details.verification_uri().to_string();
        let user_code = details.user_code().secret().clone();
        let message = details.extra_fields().message.clone().unwrap_or_else(|| {
            format!(
                "To sign in, use a web browser to open the page {verification_uri} and enter the \
                 code {user_code} to authenticate."
            )
        });
        (self.prompt)(&DevicePrompt {
            verification_uri,
            user_code,
            message,
            expires_in: details.expires_in(),
        });
        // The poll after the last sleep is the one that gets the token: its life starts then.
        let next_poll = std::sync::Mutex::new(Instant::now());
        let sleep = |interval: Duration| {
            *next_poll.lock().unwrap_or_else(PoisonError::into_inner) = Instant::now() + interval;
            tokio::time::sleep(interval)
        };
        // Polls at the code's interval (longer after `slow_down`) until the code's
        // `expires_in`, which ends as `expired_token`.
        let answer = client
            .exchange_device_access_token(&details)
            .request_async(&self.tokens.http, sleep, None)
            .await
            .map_err(|e| authentication_error(Endpoint::Token, e))?;
        let asked = *next_poll.lock().unwrap_or_else(PoisonError::into_inner);
        Ok((answer, asked))
    }
}

impl TokenProvider for DeviceCodeCredentials {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.token_now())
    }
}
