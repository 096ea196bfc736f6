//! An app's own token: the OAuth 2.0 client credentials grant of the Microsoft identity platform
//! (a daemon or service calling Graph with application permissions), through the `oauth2` crate,
//! cached until shortly before it expires. Feature `client-credentials`.

use std::fmt;
use std::time::{Duration, Instant};

use oauth2::basic::BasicClient;
use oauth2::{
    AuthType, ClientId, ClientSecret, EndpointNotSet, EndpointSet, ErrorResponseType,
    RequestTokenError, Scope, StandardErrorResponse, TokenResponse, TokenUrl,
};

use super::auth::{TokenFuture, TokenProvider};
use super::{Cloud, Error, Result};

/// The longest a token is renewed before it expires.
const MAX_EARLY: Duration = Duration::from_secs(300);

/// A [`TokenProvider`] for an app registration's client secret: asks the Microsoft identity
/// platform's token endpoint of the tenant (`{authority}/{tenant}/oauth2/v2.0/token`,
/// `grant_type=client_credentials`, scope `{graph}/.default`) for a token, keeps it, and asks
/// again five minutes before it expires (or halfway through a shorter life). Concurrent
/// requests wait for one answer rather than asking each. The secret never appears in `Debug`
/// output.
///
/// ```no_run
/// # fn demo() -> graph_requests::Result<()> {
/// use graph_requests::runtime::ClientCredentials;
/// use graph_requests::{Client, Cloud};
///
/// let credentials = ClientCredentials::new(
///     "contoso.onmicrosoft.com",                   // tenant id or domain
///     "00000000-0000-0000-0000-000000000000",      // application (client) id
///     std::env::var("GRAPH_CLIENT_SECRET").unwrap_or_default(),
/// )
/// .cloud(Cloud::Global);
/// let client = Client::builder().token_provider(credentials).build()?;
/// # let _ = client; Ok(()) }
/// ```
pub struct ClientCredentials {
    tenant: String,
    client_id: ClientId,
    secret: ClientSecret,
    authority: String,
    scope: String,
    http: reqwest::Client,
    cached: tokio::sync::Mutex<Option<Cached>>,
}

/// An access token and when to ask for the next one (shared with the device code provider).
pub(super) struct Cached {
    token: String,
    renew_at: Instant,
}

impl Cached {
    /// A token asked for at `asked` that lives `life` (an hour when the endpoint does not say):
    /// due five minutes before it expires, or halfway through a shorter life.
    pub(super) fn new(token: String, asked: Instant, life: Option<Duration>) -> Self {
        let life = life.unwrap_or(Duration::from_secs(3600));
        let early = MAX_EARLY.min(life / 2);
        Cached {
            token,
            // A life too long to add is as good as an hour.
            renew_at: asked
                .checked_add(life - early)
                .unwrap_or(asked + Duration::from_secs(3600)),
        }
    }

    /// The token, due or not.
    pub(super) fn token(&self) -> &str {
        &self.token
    }

    /// The token, unless it is due for renewal.
    pub(super) fn fresh(&self) -> Option<&str> {
        (Instant::now() < self.renew_at).then_some(self.token.as_str())
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id.as_str())
            .field("secret", &"<redacted>")
            .field("authority", &self.authority)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// The identity platform's host of each national cloud.
pub(super) fn authority(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::UsGovL4 | Cloud::UsGovL5 => "https://login.microsoftonline.us",
        Cloud::China => "https://login.chinacloudapi.cn",
        Cloud::Global => "https://login.microsoftonline.com",
    }
}

impl ClientCredentials {
    /// Credentials of the app `client_id` in `tenant` (its id or a verified domain), for the
    /// Global cloud.
    pub fn new(
        tenant: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        ClientCredentials {
            tenant: tenant.into(),
            client_id: ClientId::new(client_id.into()),
            secret: ClientSecret::new(client_secret.into()),
            authority: authority(Cloud::Global).to_owned(),
            scope: format!("{}/.default", Cloud::Global.base_url()),
            http: identity_http(),
            cached: tokio::sync::Mutex::new(None),
        }
    }

    /// The national cloud: its identity platform host and its Graph's `.default` scope.
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.authority = authority(cloud).to_owned();
        self.scope = format!("{}/.default", cloud.base_url());
        self
    }

    /// Another identity platform host (e.g. a local server in tests), without a path.
    pub fn authority_host(mut self, url: impl Into<String>) -> Self {
        self.authority = url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Another scope than the cloud's Graph `.default`.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = scope.into();
        self
    }

    /// The token endpoint asked.
    pub fn token_url(&self) -> String {
        endpoint_url(&self.authority, &self.tenant, "token")
    }

    async fn token_now(&self) -> Result<String> {
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref().and_then(Cached::fresh) {
            return Ok(token.to_owned());
        }
        let fresh = self.request().await?;
        let token = fresh.token().to_owned();
        *cached = Some(fresh);
        Ok(token)
    }

    async fn request(&self) -> Result<Cached> {
        let client = token_client(&self.client_id, Some(&self.secret), self.token_url())?;
        let asked = Instant::now();
        let answer = client
            .exchange_client_credentials()
            .add_scope(Scope::new(self.scope.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| authentication_error(Endpoint::Token, e))?;
        Ok(Cached::new(
            answer.access_token().secret().clone(),
            asked,
            answer.expires_in(),
        ))
    }
}

/// The HTTP client that talks to the identity platform: it answers directly, and following
/// redirects would send a secret, a device code or a refresh token wherever one points.
pub(super) fn identity_http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default()
}

/// `{authority}/{tenant}/oauth2/v2.0/{name}`: an endpoint of the identity platform.
pub(super) fn endpoint_url(authority: &str, tenant: &str, name: &str) -> String {
    format!("{authority}/{tenant}/oauth2/v2.0/{name}")
}

/// The token endpoint `url`, checked.
pub(super) fn token_url(url: String) -> Result<TokenUrl> {
    TokenUrl::new(url.clone())
        .map_err(|e| Error::InvalidRequest(format!("token endpoint {url:?}: {e}")))
}

/// The oauth2 client with only the token endpoint set.
pub(super) type TokenClient =
    BasicClient<EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// The oauth2 client of app `client_id` for the token endpoint `url`, with the secret of a
/// confidential client (sent in the request body, as the identity platform takes it).
pub(super) fn token_client(
    client_id: &ClientId,
    secret: Option<&ClientSecret>,
    url: String,
) -> Result<TokenClient> {
    let client = BasicClient::new(client_id.clone())
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(token_url(url)?);
    Ok(match secret {
        Some(secret) => client.set_client_secret(secret.clone()),
        None => client,
    })
}

/// A failed request to an endpoint of the identity platform, with the OAuth 2.0 error type `T`.
pub(super) type TokenError<T> =
    RequestTokenError<oauth2::HttpClientError<reqwest::Error>, StandardErrorResponse<T>>;

/// An endpoint of the identity platform, as errors name it.
#[derive(Clone, Copy)]
pub(super) enum Endpoint {
    /// `oauth2/v2.0/token`
    Token,
    /// `oauth2/v2.0/devicecode`
    DeviceCode,
}

/// [`Error::Authentication`] for a failed request to `endpoint`, with the OAuth 2.0 error code
/// when it answered with one.
pub(super) fn authentication_error<T>(endpoint: Endpoint, e: TokenError<T>) -> Error
where
    T: ErrorResponseType + AsRef<str> + fmt::Display + 'static,
{
    let (endpoint, expected) = match endpoint {
        Endpoint::Token => ("the token endpoint", "a token"),
        Endpoint::DeviceCode => ("the device code endpoint", "a device code"),
    };
    match e {
        RequestTokenError::ServerResponse(answer) => Error::Authentication {
            code: Some(answer.error().as_ref().to_owned()),
            message: answer
                .error_description()
                .cloned()
                .unwrap_or_else(|| format!("{endpoint} refused the credentials")),
        },
        RequestTokenError::Request(e) => Error::Authentication {
            code: None,
            message: format!("{endpoint} could not be reached: {e}"),
        },
        RequestTokenError::Parse(e, _) => Error::Authentication {
            code: None,
            message: format!("{endpoint}'s answer is not {expected}: {e}"),
        },
        RequestTokenError::Other(e) => Error::Authentication {
            code: None,
            message: e,
        },
    }
}

impl TokenProvider for ClientCredentials {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.token_now())
    }
}
