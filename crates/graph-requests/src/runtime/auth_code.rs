//! A user's token for a web or desktop app: the OAuth 2.0 authorization code grant with PKCE
//! (RFC 6749 and RFC 7636) of the Microsoft identity platform, through the `oauth2` crate. The
//! app sends the user's browser to the platform's sign-in page, the platform redirects back to
//! the app with a code, and the app exchanges the code for tokens; the access token is then
//! renewed with the refresh token without the user. Feature `client-credentials`.

use std::fmt;
use std::time::Instant;

use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientSecret, CsrfToken, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl,
};
use serde::{Deserialize, Serialize};

use super::auth::{TokenFuture, TokenProvider};
use super::credentials::{authentication_error, Endpoint};
use super::user_tokens::UserTokens;
use super::{Cloud, Error, Result};

/// A sign-in the app has started: the page to send the user's browser to, and what the
/// redirect back must match. Keep it until the redirect arrives (it is `Serialize`, for a web
/// app's session store) and hand it to
/// [`AuthorizationCodeCredentials::sign_in_with_code`]. Its state and PKCE verifier are
/// secrets of this one sign-in; `Debug` leaves them out.
#[derive(Clone, Serialize, Deserialize)]
pub struct AuthorizationRequest {
    url: String,
    state: String,
    verifier: String,
}

impl AuthorizationRequest {
    /// The identity platform's sign-in page for this request
    /// (`{authority}/{tenant}/oauth2/v2.0/authorize?...`): redirect the user's browser there.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The `state` the redirect back carries (the platform returns it unchanged; a different
    /// one means the redirect is not the answer to this request).
    pub fn state(&self) -> &str {
        &self.state
    }
}

impl fmt::Debug for AuthorizationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationRequest")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// A [`TokenProvider`] for a user who signs in in a browser and is redirected back to the app
/// with a code (delegated permissions; a web app, or a desktop app with a loopback redirect):
/// [`authorize`](Self::authorize) makes the sign-in page's address (with a PKCE challenge
/// and a random `state`), [`sign_in_with_code`](Self::sign_in_with_code) checks the redirect's
/// `state` and exchanges its code at the token endpoint
/// (`{authority}/{tenant}/oauth2/v2.0/token`). A web app is a confidential client and sends its
/// secret ([`client_secret`](Self::client_secret)); a desktop app is a public one and sends
/// none.
///
/// The access token is kept and renewed five minutes before it expires with the refresh token
/// (`offline_access` is always asked for); a request before anyone signed in, or after the
/// platform refused the refresh token, fails with [`Error::Authentication`] and the code
/// `interaction_required`: the user has to sign in again. A refresh token kept from an earlier
/// run ([`on_refresh_token`](Self::on_refresh_token), [`refresh_token`](Self::refresh_token))
/// saves the sign-in. Tokens never appear in `Debug` output.
///
/// ```no_run
/// # async fn demo(code_from_redirect: &str, state_from_redirect: &str) -> graph_requests::Result<()> {
/// use graph_requests::runtime::AuthorizationCodeCredentials;
/// use graph_requests::Client;
///
/// let credentials = AuthorizationCodeCredentials::new(
///     "organizations",                             // or `common`, a tenant id or domain
///     "00000000-0000-0000-0000-000000000000",      // application (client) id
///     "http://localhost:8400/signed-in",           // a redirect URI of the registration
///     ["User.Read", "Mail.Read"],                  // delegated permissions
/// )
/// .client_secret(std::env::var("GRAPH_CLIENT_SECRET").unwrap_or_default());
/// let request = credentials.authorize()?;
/// // Send the user's browser to `request.url()`; the redirect back brings `code` and `state`.
/// credentials
///     .sign_in_with_code(&request, code_from_redirect, state_from_redirect)
///     .await?;
/// let client = Client::builder().token_provider(credentials).build()?;
/// # let _ = client; Ok(()) }
/// ```
pub struct AuthorizationCodeCredentials {
    tokens: UserTokens,
    redirect_uri: String,
}

impl fmt::Debug for AuthorizationCodeCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationCodeCredentials")
            .field("tenant", &self.tokens.tenant)
            .field("client_id", &self.tokens.client_id.as_str())
            .field("secret", &self.tokens.secret.as_ref().map(|_| "<redacted>"))
            .field("redirect_uri", &self.redirect_uri)
            .field("authority", &self.tokens.authority)
            .field("scopes", &self.tokens.scopes_sent())
            .field("signed_in", &self.signed_in())
            .finish_non_exhaustive()
    }
}

impl AuthorizationCodeCredentials {
    /// Sign-in of a user of the app `client_id` in `tenant` (`organizations`, `common`,
    /// `consumers`, a tenant id or a verified domain), redirected back to `redirect_uri` (one
    /// of the registration's), for the delegated permissions `scopes`, sent as given (with
    /// none, the cloud's Graph `.default`), for the Global cloud; a public client until
    /// [`client_secret`](Self::client_secret).
    pub fn new(
        tenant: impl Into<String>,
        client_id: impl Into<String>,
        redirect_uri: impl Into<String>,
        scopes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        AuthorizationCodeCredentials {
            tokens: UserTokens::new(tenant.into(), client_id.into(), scopes),
            redirect_uri: redirect_uri.into(),
        }
    }

    /// The secret of a confidential client (a web app), sent with every token request.
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.tokens.secret = Some(ClientSecret::new(secret.into()));
        self
    }

    super::user_tokens::user_token_builders!();

    /// The sign-in page's endpoint.
    pub fn authorize_url(&self) -> String {
        self.tokens.endpoint("authorize")
    }

    fn redirect(&self) -> Result<RedirectUrl> {
        RedirectUrl::new(self.redirect_uri.clone()).map_err(|e| {
            Error::InvalidRequest(format!("redirect URI {:?}: {e}", self.redirect_uri))
        })
    }

    /// Starts a sign-in: the address of the sign-in page for the scopes, with a new random
    /// `state` and PKCE challenge (S256). Send the user's browser to
    /// [`AuthorizationRequest::url`] and keep the request for the redirect back.
    pub fn authorize(&self) -> Result<AuthorizationRequest> {
        let url = self.authorize_url();
        let auth_url = AuthUrl::new(url.clone())
            .map_err(|e| Error::InvalidRequest(format!("authorize endpoint {url:?}: {e}")))?;
        let client = BasicClient::new(self.tokens.client_id.clone())
            .set_auth_uri(auth_url)
            .set_redirect_uri(self.redirect()?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state) = client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(self.tokens.scopes())
            .set_pkce_challenge(challenge)
            .url();
        Ok(AuthorizationRequest {
            url: url.into(),
            state: state.secret().clone(),
            verifier: verifier.secret().clone(),
        })
    }

    /// Finishes the sign-in of `request` with the `code` and `state` of the redirect back to
    /// the app: checks that the state is the request's (a redirect with another state is
    /// refused without asking the platform) and exchanges the code, with the PKCE verifier,
    /// for the user's tokens. A redirect with an `error` instead of a `code` is the user's or
    /// the platform's refusal; there is nothing to exchange.
    pub async fn sign_in_with_code(
        &self,
        request: &AuthorizationRequest,
        code: &str,
        state: &str,
    ) -> Result<()> {
        if state != request.state {
            return Err(Error::Authentication {
                code: Some("invalid_state".to_owned()),
                message: "the redirect's state is not the sign-in request's: it is not the \
                          answer to this request"
                    .to_owned(),
            });
        }
        let client = self
            .tokens
            .token_client()?
            .set_redirect_uri(self.redirect()?);
        let mut held = self.tokens.lock().await;
        let asked = Instant::now();
        let answer = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .set_pkce_verifier(PkceCodeVerifier::new(request.verifier.clone()))
            .request_async(&self.tokens.http)
            .await
            .map_err(|e| authentication_error(Endpoint::Token, e))?;
        self.tokens.keep(&mut held, &answer, asked, None);
        Ok(())
    }

    async fn token_now(&self) -> Result<String> {
        let mut held = self.tokens.lock().await;
        self.tokens
            .held_or_renewed(&mut held)
            .await?
            .ok_or_else(|| Error::Authentication {
                code: Some("interaction_required".to_owned()),
                message: "no user is signed in: send the user to the sign-in page of \
                          `authorize()` and finish with `sign_in_with_code`"
                    .to_owned(),
            })
    }
}

impl TokenProvider for AuthorizationCodeCredentials {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.token_now())
    }
}
