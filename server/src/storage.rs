//! Picks where uploads are kept: S3-compatible object storage when `S3_BUCKET` is set, otherwise a
//! folder on local disk (`DATA_DIR/media`).
use crate::config::Config;
use app::ssr::storage::Store;
use object_store::aws::AmazonS3Builder;
use std::sync::Arc;

pub fn open(cfg: &Config) -> std::io::Result<Store> {
    let Some(s3) = &cfg.s3 else {
        return Store::local(&std::path::Path::new(&cfg.data_dir).join("media"));
    };
    let mut b = AmazonS3Builder::from_env().with_bucket_name(&s3.bucket).with_region(&s3.region);
    if let Some(endpoint) = &s3.endpoint {
        // MinIO, Garage and most non-AWS services want path-style URLs; http only for a local test server.
        b = b
            .with_endpoint(endpoint)
            .with_virtual_hosted_style_request(false)
            .with_allow_http(endpoint.starts_with("http://"));
    }
    if let (Some(k), Some(s)) = (&s3.access_key, &s3.secret_key) {
        b = b.with_access_key_id(k).with_secret_access_key(s);
    }
    let store = b.build().map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(Store::new(Arc::new(store)))
}
