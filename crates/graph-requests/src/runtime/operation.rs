//! What every generated operation is: a request and the type of its answer. Lets code handle
//! operations generically (a JSON batch reads each answer as its operation's type).

use std::fmt;
use std::marker::PhantomData;

use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::{BatchId, BatchResponses, Request, Result};

/// A generated operation's request builder (`GetUser`, `ListMessages`, ...): the request it
/// sends and how its answer reads, as its `.send()` returns it. Implemented by the generated
/// code for every operation; [`Batch::add_operation`](super::Batch::add_operation) uses it to
/// give back each answer typed.
pub trait Operation {
    /// How the answer reads and as what: the documented resource ([`Json`]), a
    /// [`Page`](super::Page) of a collection ([`Json`] of the page), nothing for
    /// `204 No Content` ([`NoContent`]), the bytes of content ([`Content`]), a primitive value
    /// (`{"value": ..}`, [`Primitive`]). `<Self::Answer as ReadAnswer>::Output` is what `.send()`
    /// returns.
    type Answer: ReadAnswer;

    /// The request as it will be sent (the builder's own `into_request`).
    fn into_request(self) -> Request;
}

/// How an answer of a JSON batch reads, as a generated `.send()` would read the response; an
/// error status is an [`Error::Api`](super::Error::Api).
pub trait ReadAnswer {
    /// What the answer reads as.
    type Output;

    /// Reads the answer to request `id`.
    fn read(answers: &BatchResponses, id: BatchId) -> Result<Self::Output>;
}

/// An answer whose JSON body is a `T` (`Option<T>` where the docs show a body or none).
pub struct Json<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> ReadAnswer for Json<T> {
    type Output = T;
    fn read(answers: &BatchResponses, id: BatchId) -> Result<T> {
        answers.json(id)
    }
}

/// An answer without a body of interest (`204 No Content`).
pub struct NoContent;

impl ReadAnswer for NoContent {
    type Output = ();
    fn read(answers: &BatchResponses, id: BatchId) -> Result<()> {
        answers.empty(id)
    }
}

/// An answer whose body is content, read as bytes.
pub struct Content;

impl ReadAnswer for Content {
    type Output = Bytes;
    fn read(answers: &BatchResponses, id: BatchId) -> Result<Bytes> {
        answers.bytes(id)
    }
}

/// An answer that wraps a primitive value in an object: `{"value": 42}` reads as `42`.
pub struct Primitive<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> ReadAnswer for Primitive<T> {
    type Output = T;
    fn read(answers: &BatchResponses, id: BatchId) -> Result<T> {
        /// `{"value": ..}`.
        #[derive(serde::Deserialize)]
        #[serde(bound = "T: DeserializeOwned")]
        struct Wrapped<T> {
            value: T,
        }
        answers.json::<Wrapped<T>>(id).map(|wrapped| wrapped.value)
    }
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
    pub fn get<O: Operation>(
        &self,
        item: BatchItem<O>,
    ) -> Result<<O::Answer as ReadAnswer>::Output> {
        O::Answer::read(self, item.id)
    }
}
