//! An app's own token: the OAuth 2.0 client credentials grant of the Microsoft identity platform
//! (a daemon or service calling Graph with application permissions), through the `oauth2` crate,
//! cached until shortly before it expires. Feature `client-credentials`.

use std::fmt;
use std::time::{Duration, Instant};

use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthType, ClientId, ClientSecret, RequestTokenError, Scope, StandardErrorResponse,
    TokenResponse, TokenUrl,
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

struct Cached {
    token: String,
    renew_at: Instant,
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
fn authority(cloud: Cloud) -> &'static str {
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
            // The token endpoint answers directly; following redirects would send the secret
            // wherever one points.
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default(),
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
        format!("{}/{}/oauth2/v2.0/token", self.authority, self.tenant)
    }

    async fn token_now(&self) -> Result<String> {
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| Instant::now() < c.renew_at) {
            return Ok(c.token.clone());
        }
        let fresh = self.request().await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    async fn request(&self) -> Result<Cached> {
        let url = self.token_url();
        let token_url = TokenUrl::new(url.clone())
            .map_err(|e| Error::InvalidRequest(format!("token endpoint {url:?}: {e}")))?;
        let client = BasicClient::new(self.client_id.clone())
            .set_client_secret(self.secret.clone())
            .set_auth_type(AuthType::RequestBody)
            .set_token_uri(token_url);
        let asked = Instant::now();
        let answer = client
            .exchange_client_credentials()
            .add_scope(Scope::new(self.scope.clone()))
            .request_async(&self.http)
            .await
            .map_err(authentication_error)?;
        let life = answer.expires_in().unwrap_or(Duration::from_secs(3600));
        let early = MAX_EARLY.min(life / 2);
        Ok(Cached {
            token: answer.access_token().secret().clone(),
            // A life too long to add is as good as an hour.
            renew_at: asked
                .checked_add(life - early)
                .unwrap_or(asked + Duration::from_secs(3600)),
        })
    }
}

type TokenError = RequestTokenError<
    oauth2::HttpClientError<reqwest::Error>,
    StandardErrorResponse<BasicErrorResponseType>,
>;

fn authentication_error(e: TokenError) -> Error {
    match e {
        RequestTokenError::ServerResponse(answer) => Error::Authentication {
            code: Some(answer.error().as_ref().to_owned()),
            message: answer
                .error_description()
                .cloned()
                .unwrap_or_else(|| "the token endpoint refused the credentials".to_owned()),
        },
        RequestTokenError::Request(e) => Error::Authentication {
            code: None,
            message: format!("the token endpoint could not be reached: {e}"),
        },
        RequestTokenError::Parse(e, _) => Error::Authentication {
            code: None,
            message: format!("the token endpoint's answer is not a token: {e}"),
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
