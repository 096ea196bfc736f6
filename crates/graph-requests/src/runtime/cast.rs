//! OData type casts of collections: `GET /groups/{id}/members/microsoft.graph.user` lists only
//! the members that are users, decoded as users.

use std::marker::PhantomData;

use futures::stream::BoxStream;
use serde::de::DeserializeOwned;

use super::{Client, Page, PageStream, Request, Result};
use crate::models::GraphType;

/// A list request cast to the derived type `T`: the request of the list operation it was made
/// from (with the options set on it), with `T`'s cast segment after the collection's path.
/// Made by the `cast` method of a generated list request, e.g.
/// `client.v1().groups().list_members(id).cast::<User>()`.
#[derive(Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct Cast<T> {
    client: Client,
    request: Request,
    item: PhantomData<fn() -> T>,
}

impl<T: GraphType> Cast<T> {
    /// Casts the collection that `request` lists to `T`.
    pub fn new(client: Client, mut request: Request) -> Self {
        request.push_segment(T::ODATA_TYPE);
        Cast {
            client,
            request,
            item: PhantomData,
        }
    }
}

impl<T> Cast<T> {
    /// Adds a query option after the cast (the list request's typed setters come before it),
    /// e.g. `.query("$select", "displayName,mail")`.
    pub fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.request.query(name, value);
        self
    }

    /// Adds a header after the cast, e.g. `.header("ConsistencyLevel", "eventual")`, which
    /// directory collections require with a cast and `$count` or `$search`.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.request.header(name, value);
        self
    }

    /// The request as it will be sent, for inspection or custom sending.
    pub fn into_request(self) -> Request {
        self.request
    }
}

impl<T: DeserializeOwned + Send + 'static> Cast<T> {
    /// Sends the request: one page of the items of type `T`.
    pub async fn send(self) -> Result<Page<T>> {
        self.client.send_page::<T>(self.request).await
    }

    /// Follows `@odata.nextLink` to the end, lazily: a stream of pages, each fetched with the
    /// client's retries.
    pub fn stream_pages(self) -> PageStream<T> {
        self.client.stream_pages::<T>(self.request)
    }

    /// Every item of every page, lazily (follows `@odata.nextLink`).
    pub fn stream_items(self) -> BoxStream<'static, Result<T>> {
        self.client.stream_items::<T>(self.request)
    }

    /// `GET .../{cast}/$count`: the number of items of type `T` that the request's `$filter`
    /// or `$search` selects (see [`Client::send_count`]).
    pub async fn send_count(self) -> Result<u64> {
        self.client.send_count(self.request).await
    }
}
