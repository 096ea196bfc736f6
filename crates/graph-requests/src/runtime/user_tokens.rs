//! What the providers of a user's token share (`DeviceCodeCredentials`,
//! `AuthorizationCodeCredentials`): the app and tenant, the scopes, the access token held and
//! the refresh token that renews it, and the renewal itself. Feature `client-credentials`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use oauth2::basic::{BasicErrorResponseType, BasicTokenResponse};
use oauth2::{ClientId, ClientSecret, RefreshToken, RequestTokenError, Scope, TokenResponse};

use super::credentials::{
    authentication_error, authority, endpoint_url, identity_http, token_client, Cached, Endpoint,
    TokenClient, TokenError,
};
use super::{Cloud, Error, Result};

/// The builder methods of a user token provider with a `tokens: UserTokens` field: the
/// national cloud, another identity host, a kept refresh token and the callback that is handed
/// new ones.
macro_rules! user_token_builders {
    () => {
        /// The national cloud: its identity platform host (and its Graph's `.default` scope
        /// when no scopes were given).
        pub fn cloud(mut self, cloud: Cloud) -> Self {
            self.tokens.cloud(cloud);
            self
        }

        /// Another identity platform host (e.g. a local server in tests), without a path.
        pub fn authority_host(mut self, url: impl Into<String>) -> Self {
            self.tokens.authority_host(url.into());
            self
        }

        /// Starts from a refresh token the app kept from an earlier run (see
        /// [`on_refresh_token`](Self::on_refresh_token)): the first request renews the access
        /// token with it, and the user signs in only if the platform refuses it.
        pub fn refresh_token(mut self, refresh_token: impl Into<String>) -> Self {
            self.tokens.start_from(refresh_token.into());
            self
        }

        /// Called with each new refresh token the platform hands out (at sign-in, and when it
        /// rotates the token at a renewal), for the app to keep it (in the system's keyring, or
        /// with the user's account) and start from it next time with
        /// [`refresh_token`](Self::refresh_token). A refresh token is a secret that stands for
        /// the user's sign-in.
        pub fn on_refresh_token(mut self, callback: impl Fn(&str) + Send + Sync + 'static) -> Self {
            self.tokens.on_refresh_token(callback);
            self
        }

        /// The token endpoint asked.
        pub fn token_url(&self) -> String {
            self.tokens.endpoint("token")
        }

        /// Whether a token or a refresh token is held, so requests need no sign-in (unless the
        /// platform refuses the refresh token).
        pub fn signed_in(&self) -> bool {
            self.tokens.signed_in()
        }
    };
}
pub(super) use user_token_builders;

/// The scope that makes the identity platform answer with a refresh token.
const OFFLINE_ACCESS: &str = "offline_access";

type RefreshCallback = Box<dyn Fn(&str) + Send + Sync>;

/// The tokens held: the access token and the refresh token that renews it.
#[derive(Default)]
pub(super) struct State {
    access: Option<Cached>,
    refresh: Option<RefreshToken>,
}

/// Why a refresh did not give a token.
enum RefreshFailure {
    /// The platform refused the refresh token: the user signs in again.
    Refused,
    /// The platform could not be asked, or failed: the refresh token is kept.
    Failed(Error),
}

/// A user's tokens for one app registration and tenant.
pub(super) struct UserTokens {
    pub(super) tenant: String,
    pub(super) client_id: ClientId,
    /// A confidential client's secret (a web app); `None` for a public client.
    pub(super) secret: Option<ClientSecret>,
    scopes: Vec<String>,
    graph: &'static str,
    pub(super) authority: String,
    pub(super) http: reqwest::Client,
    state: tokio::sync::Mutex<State>,
    signed_in: AtomicBool,
    on_refresh_token: Option<RefreshCallback>,
}

impl UserTokens {
    pub(super) fn new(
        tenant: String,
        client_id: String,
        scopes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        UserTokens {
            tenant,
            client_id: ClientId::new(client_id),
            secret: None,
            scopes: scopes.into_iter().map(Into::into).collect(),
            graph: Cloud::Global.base_url(),
            authority: authority(Cloud::Global).to_owned(),
            http: identity_http(),
            state: tokio::sync::Mutex::new(State::default()),
            signed_in: AtomicBool::new(false),
            on_refresh_token: None,
        }
    }

    pub(super) fn cloud(&mut self, cloud: Cloud) {
        self.authority = authority(cloud).to_owned();
        self.graph = cloud.base_url();
    }

    pub(super) fn authority_host(&mut self, url: String) {
        self.authority = url.trim_end_matches('/').to_owned();
    }

    /// Starts from a refresh token the app kept from an earlier run.
    pub(super) fn start_from(&mut self, refresh_token: String) {
        *self.state.get_mut() = State {
            access: None,
            refresh: Some(RefreshToken::new(refresh_token)),
        };
        *self.signed_in.get_mut() = true;
    }

    pub(super) fn on_refresh_token(&mut self, callback: impl Fn(&str) + Send + Sync + 'static) {
        self.on_refresh_token = Some(Box::new(callback));
    }

    pub(super) fn endpoint(&self, name: &str) -> String {
        endpoint_url(&self.authority, &self.tenant, name)
    }

    pub(super) fn signed_in(&self) -> bool {
        self.signed_in.load(Ordering::Relaxed)
    }

    /// The scopes asked for: those given (or the cloud's Graph `.default`) and `offline_access`.
    pub(super) fn scopes_sent(&self) -> Vec<String> {
        let mut scopes = self.scopes.clone();
        if scopes.is_empty() {
            scopes.push(format!("{}/.default", self.graph));
        }
        if !scopes
            .iter()
            .any(|s| s.eq_ignore_ascii_case(OFFLINE_ACCESS))
        {
            scopes.push(OFFLINE_ACCESS.to_owned());
        }
        scopes
    }

    pub(super) fn scopes(&self) -> impl Iterator<Item = Scope> {
        self.scopes_sent().into_iter().map(Scope::new)
    }

    /// The oauth2 client for the token endpoint, with the secret of a confidential client.
    pub(super) fn token_client(&self) -> Result<TokenClient> {
        token_client(
            &self.client_id,
            self.secret.as_ref(),
            self.endpoint("token"),
        )
    }

    /// The tokens, locked: concurrent requests wait for one sign-in or renewal.
    pub(super) async fn lock(&self) -> tokio::sync::MutexGuard<'_, State> {
        self.state.lock().await
    }

    /// The access token held, or one renewed with the refresh token; `None` when the user
    /// has to sign in (no refresh token, or the platform refused it).
    pub(super) async fn held_or_renewed(&self, state: &mut State) -> Result<Option<String>> {
        if let Some(token) = state.access.as_ref().and_then(Cached::fresh) {
            return Ok(Some(token.to_owned()));
        }
        let Some(refresh) = state.refresh.take() else {
            return Ok(None);
        };
        let asked = Instant::now();
        match self.refresh(&refresh).await {
            Ok(answer) => Ok(Some(self.keep(state, &answer, asked, Some(refresh)))),
            Err(RefreshFailure::Failed(e)) => {
                state.refresh = Some(refresh);
                Err(e)
            }
            Err(RefreshFailure::Refused) => {
                state.access = None;
                self.signed_in.store(false, Ordering::Relaxed);
                Ok(None)
            }
        }
    }

    /// Keeps the token of `answer` (asked for at `asked`) and the newest refresh token, and
    /// hands a new refresh token to the app's callback.
    pub(super) fn keep(
        &self,
        state: &mut State,
        answer: &BasicTokenResponse,
        asked: Instant,
        previous_refresh: Option<RefreshToken>,
    ) -> String {
        let cached = Cached::new(
            answer.access_token().secret().clone(),
            asked,
            answer.expires_in(),
        );
        let token = cached.token().to_owned();
        state.access = Some(cached);
        if let (Some(new), Some(callback)) = (answer.refresh_token(), &self.on_refresh_token) {
            let unchanged = previous_refresh
                .as_ref()
                .is_some_and(|old| old.secret() == new.secret());
            if !unchanged {
                callback(new.secret());
            }
        }
        state.refresh = answer.refresh_token().cloned().or(previous_refresh);
        self.signed_in.store(true, Ordering::Relaxed);
        token
    }

    async fn refresh(
        &self,
        refresh: &RefreshToken,
    ) -> std::result::Result<BasicTokenResponse, RefreshFailure> {
        let client = self.token_client().map_err(RefreshFailure::Failed)?;
        let answer: std::result::Result<_, TokenError<BasicErrorResponseType>> = client
            .exchange_refresh_token(refresh)
            .add_scopes(self.scopes())
            .request_async(&self.http)
            .await;
        match answer {
            Ok(answer) => Ok(answer),
            // The platform's own trouble is no reason to make the user sign in again.
            Err(RequestTokenError::ServerResponse(e))
                if !matches!(
                    e.error().as_ref(),
                    "temporarily_unavailable" | "server_error"
                ) =>
            {
                tracing::debug!(
                    code = e.error().as_ref(),
                    "the refresh token was refused; signing in again"
                );
                Err(RefreshFailure::Refused)
            }
            Err(e) => Err(RefreshFailure::Failed(authentication_error(
                Endpoint::Token,
                e,
            ))),
        }
    }
}
