pub mod config;
pub mod encoder;
pub mod error;
pub mod handle_allocator;
pub mod ir;
pub mod object_graph;
pub mod r2000;
pub mod r2018;
pub mod validation;

pub use config::WriterConfig;
pub use encoder::{DocumentEncoder, DocumentTables, EncodedDocument, LayoutId};
pub use handle_allocator::HandleAllocator;
pub use ir::{
    ArcEntity, AttributeEntity, BlockDef, CircleEntity, CommonEntityProps, EllipseEntity,
    Face3dEntity, InsertEntity, LayerDef, LayoutSettings, LineEntity, LwPolylineEntity,
    MTextEntity, PlanarFaceEntity, PointEntity, RayEntity, TextEntity, ViewportEntity,
    WriterDocument, WriterEntity, WriterMetadata, XLineEntity,
};
