//! What every generated operation is: a request and the type of its answer. Lets code handle
//! operations generically (a JSON batch reads each answer as its operation's type).

use std::fmt;
use std::marker::PhantomData;

use super::{BatchId, BatchResponses, Request, Result};

/// A generated operation's request builder (`GetUser`, `ListMessages`, ...): the request it
/// sends and how its answer reads, as its `.send()` returns it. Implemented by the generated
/// code for every operation; [`Batch::add_operation`](super::Batch::add_operation) uses it to
/// give back each answer typed.
pub trait Operation {
    /// What `.send()` returns: the documented resource, a [`Page`](super::Page) of a
    /// collection, `()` for `204 No Content`, the bytes of content, or an `Option` where the
    /// docs show both a body and none.
    type Output;

    /// The request as it will be sent (the builder's own `into_request`).
    fn into_request(self) -> Request;

    /// Reads the answer to this operation's request `id` of a JSON batch, as `.send()` would
    /// read the response; an error status is an [`Error::Api`](super::Error::Api).
    fn read(answers: &BatchResponses, id: BatchId) -> Result<Self::Output>;
}

/// An operation added to a batch: its [`BatchId`] and the type its answer reads as, with
/// [`BatchResponses::get`].
pub struct BatchItem<O> {
    id: BatchId,
    operation: PhantomData<fn() -> O>,
}

impl<O> BatchItem<O> {
    pub(super) fn new(id: BatchId) -> Self {
        BatchItem {
            id,
            operation: PhantomData,
        }
    }

    /// The id of the request in its batch: for [`Batch::add_after`](super::Batch::add_after),
    /// [`BatchResponses::status`] and [`BatchResponses::headers`].
    pub fn id(&self) -> BatchId {
        self.id
    }
}

impl<O> Clone for BatchItem<O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O> Copy for BatchItem<O> {}

impl<O> fmt::Debug for BatchItem<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchItem")
            .field("id", &self.id)
            .field("operation", &std::any::type_name::<O>())
            .finish()
    }
}

impl BatchResponses {
    /// The answer to an operation added with
    /// [`Batch::add_operation`](super::Batch::add_operation), read as its `.send()` returns it.
    pub fn get<O: Operation>(&self, item: BatchItem<O>) -> Result<O::Output> {
        O::read(self, item.id)
    }
}
